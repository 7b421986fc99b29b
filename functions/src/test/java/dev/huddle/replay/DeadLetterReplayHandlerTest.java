package dev.huddle.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.huddle.rollup.TestSqs;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** Replay on ElasticMQ: dead letters put straight into the DLQ of a fresh FIFO queue pair. */
class DeadLetterReplayHandlerTest {
    private final SqsClient sqs = TestSqs.client();
    private final TestSqs.Queues queues = TestSqs.createJobQueues(sqs);
    private final List<String> logLines = new ArrayList<>();
    private final DeadLetterReplayHandler handler = new DeadLetterReplayHandler(
            new DeadLetterReplayer(sqs, queues.deadLetterUrl(), queues.mainUrl()), logLines::add, Clock.systemUTC());

    private void deadLetter(String orgId) {
        sqs.sendMessage(b -> b.queueUrl(queues.deadLetterUrl()).messageBody("{\"orgId\":\"" + orgId + "\"}")
                .messageGroupId(orgId).messageDeduplicationId("dead-" + orgId));
    }

    @Test
    void onlyLists_whenInvokedWithoutOptions_becauseTheDefaultIsADryRun() {
        deadLetter("org-1");
        deadLetter("org-2");

        Map<String, Object> result = handler.handleRequest(Map.of(), null);

        assertThat(result).containsEntry("dryRun", true).containsEntry("approximateTotal", 2L);
        assertThat((List<?>) result.get("wouldReplay")).hasSize(2);
        assertThat(TestSqs.messagesHeld(sqs, queues.mainUrl())).as("nothing moved, not even delayed").isZero();
        assertThat(TestSqs.approximateCount(sqs, queues.deadLetterUrl())).as("listed messages are visible again").isEqualTo(2);
    }

    @Test
    void movesDeadLettersToTheMainQueue_keepingTheirMessageGroup() {
        deadLetter("org-1");
        deadLetter("org-2");

        Map<String, Object> result = handler.handleRequest(Map.of("dryRun", false), null);

        assertThat((List<?>) result.get("replayed")).hasSize(2);
        List<Message> moved = TestSqs.drain(sqs, queues.mainUrl());
        assertThat(moved).extracting(m -> m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID))
                .containsExactlyInAnyOrder("org-1", "org-2");
        assertThat(moved).extracting(Message::body).containsExactlyInAnyOrder("{\"orgId\":\"org-1\"}", "{\"orgId\":\"org-2\"}");
        assertThat(TestSqs.messagesHeld(sqs, queues.deadLetterUrl())).isZero();
        assertThat(logLines).anySatisfy(line -> assertThat(line).contains("\"deadLettersReplayed\":2.0"));
    }
}
