package dev.huddle.rollup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.huddle.common.AwsClients;
import dev.huddle.common.AwsConfig;
import dev.huddle.devservers.QueueWithDeadLetters;
import dev.huddle.localstack.LocalStack;
import dev.huddle.localstack.RequiresDocker;
import dev.huddle.replay.DeadLetterReplayer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** The rollup fan-out and the dead-letter replay on LocalStack's SQS (FIFO queue + FIFO DLQ with redrive). */
@RequiresDocker
class RollupQueueLocalStackTest {
    private final SqsClient sqs = AwsClients.sqs(AwsConfig.from(LocalStack.environment(Map.of())));
    private final QueueWithDeadLetters queues = QueueWithDeadLetters.named("rollup-jobs-" + System.nanoTime())
            .fifo(true).maxReceiveCount(5).create(sqs);
    private final String dlqUrl = queues.deadLetterQueueUrl();
    private final String mainUrl = queues.queueUrl();

    @Test
    void queuesOneJobPerOrg_inItsOwnMessageGroup() {
        RollupJobQueue queue = new RollupJobQueue(sqs, mainUrl, Clock.systemUTC(),
                line -> { });

        queue.requestRollups(Map.of("org-1", 1L, "org-2", 1L));

        List<Message> jobs = receive(mainUrl, 2);
        assertThat(jobs).extracting(m -> RollupJobMessage.parse(m.body()).orElseThrow().orgId())
                .containsExactlyInAnyOrder("org-1", "org-2");
    }

    @Test
    void movesDeadLettersBackToTheJobQueue_butOnlyLooksOnADryRun() {
        sqs.sendMessage(b -> b.queueUrl(dlqUrl).messageGroupId("org-9").messageDeduplicationId("dead-1")
                .messageBody("{\"orgId\":\"org-9\"}"));
        DeadLetterReplayer replayer = new DeadLetterReplayer(sqs, dlqUrl, mainUrl);

        DeadLetterReplayer.Report dryRun = replayer.replay(true, 10);
        assertThat(dryRun.messages()).extracting(DeadLetterReplayer.DeadLetter::groupId).containsExactly("org-9");

        DeadLetterReplayer.Report replayed = replayer.replay(false, 10);
        assertThat(replayed.messages()).hasSize(1);
        assertThat(receive(mainUrl, 1)).extracting(Message::body).containsExactly("{\"orgId\":\"org-9\"}");
    }

    /** Long-polls (the wait is on the server, not a sleep) until {@code count} messages came. */
    private List<Message> receive(String queueUrl, int count) {
        List<Message> received = new ArrayList<>();
        await(count + " messages in " + queueUrl).atMost(Duration.ofSeconds(60)).until(() -> {
            received.addAll(sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1))
                    .messages());
            return received.size() >= count;
        });
        return received;
    }
}
