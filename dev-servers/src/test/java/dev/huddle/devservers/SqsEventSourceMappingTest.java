package dev.huddle.devservers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/** The local event source mapping against a real ElasticMQ, with a scripted function behind it. */
class SqsEventSourceMappingTest {
    private static final Duration VISIBILITY = Duration.ofSeconds(1);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static TestQueues queues;
    private SqsEventSourceMapping mapping;

    @BeforeAll
    static void startElasticMq() {
        queues = new TestQueues();
    }

    @AfterAll
    static void stopElasticMq() {
        queues.close();
    }

    @AfterEach
    void stopMapping() {
        if (mapping != null) {
            mapping.close();
        }
    }

    @Test
    void deliversRecordsAsLambdaDoes_andDeletesTheSucceededMessages() {
        String[] queue = queues.queueWithDeadLetters(true, 5);
        for (int i = 1; i <= 3; i++) {
            int n = i;
            queues.sqs.sendMessage(request -> request.queueUrl(queue[0]).messageBody("{\"orgId\":\"org-1\"}")
                    .messageGroupId("org-1").messageDeduplicationId("job-" + n)
                    .messageAttributes(Map.of("origin", MessageAttributeValue.builder()
                            .dataType("String").stringValue("test").build())));
        }
        ScriptedSqsHandler handler = new ScriptedSqsHandler();

        mapping = start(queue[0], 10, 1, handler);

        await("3 messages succeeded").atMost(WAIT).until(() -> mapping.counts().messagesSucceeded() == 3);
        SQSEvent.SQSMessage first = handler.batches.getFirst().getRecords().getFirst();
        assertThat(first.getBody()).isEqualTo("{\"orgId\":\"org-1\"}");
        assertThat(first.getMessageId()).isNotBlank();
        assertThat(first.getReceiptHandle()).isNotBlank();
        assertThat(first.getEventSource()).isEqualTo("aws:sqs");
        assertThat(first.getEventSourceArn()).isEqualTo(queues.arn(queue[0])).startsWith("arn:aws:sqs:");
        assertThat(first.getAwsRegion()).isEqualTo("us-east-1");
        assertThat(first.getMd5OfBody()).hasSize(32);
        assertThat(first.getAttributes())
                .containsEntry("MessageGroupId", "org-1")
                .containsEntry("MessageDeduplicationId", "job-1")
                .containsEntry("ApproximateReceiveCount", "1")
                .containsKeys("SentTimestamp", "ApproximateFirstReceiveTimestamp", "SequenceNumber");
        assertThat(first.getMessageAttributes().get("origin").getStringValue()).isEqualTo("test");
        assertThat(handler.deliveries()).isEqualTo(3);
        await("the queue is empty").atMost(WAIT).until(() -> queues.messagesIn(queue[0]) == 0);
    }

    @Test
    void reportedFailure_reappearsAfterTheVisibilityTimeout_whileItsBatchMatesAreNotRedelivered() {
        String[] queue = queues.queueWithDeadLetters(false, 5);
        sendBatch(queue[0], "ok-1", "fail-once", "ok-2");
        ScriptedSqsHandler handler = new ScriptedSqsHandler();

        mapping = start(queue[0], 10, 1, handler);

        await("all 3 messages succeeded").atMost(WAIT).until(() -> mapping.counts().messagesSucceeded() == 3);
        assertThat(handler.deliveriesOf("ok-1")).hasSize(1);
        assertThat(handler.deliveriesOf("ok-2")).hasSize(1);
        assertThat(handler.deliveriesOf("fail-once")).extracting(m -> m.getAttributes().get("ApproximateReceiveCount"))
                .containsExactly("1", "2");
        assertThat(mapping.counts().messagesFailed()).isEqualTo(1);
    }

    @Test
    void thrownException_keepsTheWholeBatch_untilTheQueueMovesItToTheDeadLetterQueue() {
        String[] queue = queues.queueWithDeadLetters(false, 2);
        sendBatch(queue[0], "throw");
        ScriptedSqsHandler handler = new ScriptedSqsHandler();

        mapping = start(queue[0], 10, 1, handler);

        List<Message> deadLetters = receiveWithin(queue[1], WAIT);
        assertThat(deadLetters).extracting(Message::body).containsExactly("throw");
        assertThat(handler.deliveriesOf("throw")).hasSize(2);
        assertThat(mapping.counts().invocationErrors()).isEqualTo(2);
        assertThat(mapping.counts().messagesSucceeded()).isZero();
    }

    @Test
    void batchSize_capsTheRecordsOfEveryInvocation() {
        String[] queue = queues.queueWithDeadLetters(false, 5);
        sendBatch(queue[0], "a", "b", "c", "d", "e");
        ScriptedSqsHandler handler = new ScriptedSqsHandler();

        mapping = start(queue[0], 2, 1, handler);

        await("5 messages succeeded").atMost(WAIT).until(() -> mapping.counts().messagesSucceeded() == 5);
        assertThat(handler.batches).allSatisfy(batch -> assertThat(batch.getRecords()).hasSizeLessThanOrEqualTo(2));
        assertThat(handler.batches.size()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void twoPollers_processTwoFifoGroupsAtTheSameTime() {
        String[] queue = queues.queueWithDeadLetters(true, 5);
        queues.sqs.sendMessage(r -> r.queueUrl(queue[0]).messageBody("org-1").messageGroupId("org-1").messageDeduplicationId("1"));
        queues.sqs.sendMessage(r -> r.queueUrl(queue[0]).messageBody("org-2").messageGroupId("org-2").messageDeduplicationId("2"));
        CountDownLatch bothInFlight = new CountDownLatch(2);
        AtomicBoolean overlapped = new AtomicBoolean(true);
        ScriptedSqsHandler handler = new ScriptedSqsHandler();
        handler.beforeAnswering = () -> {
            bothInFlight.countDown();
            try {
                overlapped.compareAndSet(true, bothInFlight.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };

        mapping = start(queue[0], 1, 2, handler);

        await("both messages succeeded").atMost(WAIT).until(() -> mapping.counts().messagesSucceeded() == 2);
        assertThat(overlapped).as("each invocation saw the other in flight").isTrue();
        assertThat(bothInFlight.getCount()).isZero();
    }

    @Test
    void runsOneRoundPerReceive_onTheCallingThread_untilTheQueueHoldsNoMessage() {
        String[] queue = queues.queueWithDeadLetters(false, 5);
        sendBatch(queue[0], "ok", "fail-once");
        ScriptedSqsHandler handler = new ScriptedSqsHandler();
        mapping = SqsEventSourceMapping.onCallingThread(queues.sqs, settings(queue[0], 10, 1), handler);

        int rounds = mapping.pollUntilEmpty(5, WAIT);

        assertThat(rounds).as("both, then the failed one after its visibility timeout").isEqualTo(2);
        assertThat(handler.deliveriesOf("ok")).hasSize(1);
        assertThat(handler.deliveriesOf("fail-once")).hasSize(2);
        assertThat(mapping.counts()).isEqualTo(new SqsEventSourceMapping.Counts(2, 2, 1, 0));
        assertThat(queues.messagesIn(queue[0])).isZero();
    }

    @Test
    void stopsPollingOnTheCallingThread_whenTheQueueMovedAPoisonMessageToTheDeadLetterQueue() {
        String[] queue = queues.queueWithDeadLetters(true, 2);
        queues.sqs.sendMessage(r -> r.queueUrl(queue[0]).messageBody("throw").messageGroupId("org-1").messageDeduplicationId("1"));
        ScriptedSqsHandler handler = new ScriptedSqsHandler();
        mapping = SqsEventSourceMapping.onCallingThread(queues.sqs, settings(queue[0], 10, 1), handler);

        int rounds = mapping.pollUntilEmpty(5, WAIT);

        assertThat(rounds).as("one round per receive the redrive policy allows").isEqualTo(2);
        assertThat(queues.messagesIn(queue[1])).isEqualTo(1);
        assertThat(mapping.counts().invocationErrors()).isEqualTo(2);
    }

    @Test
    void refusesToPollOnTheCallingThread_whenPollersRun() {
        String[] queue = queues.queueWithDeadLetters(false, 5);
        mapping = start(queue[0], 10, 1, new ScriptedSqsHandler());

        assertThatThrownBy(() -> mapping.pollUntilEmpty(1, WAIT)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("onCallingThread");
    }

    private SqsEventSourceMapping start(String queueUrl, int batchSize, int concurrency, ScriptedSqsHandler handler) {
        return SqsEventSourceMapping.start(queues.sqs, settings(queueUrl, batchSize, concurrency), () -> handler);
    }

    private static SqsEventSourceSettings settings(String queueUrl, int batchSize, int concurrency) {
        return new SqsEventSourceSettings("test-worker", queueUrl, batchSize, VISIBILITY, Duration.ofSeconds(1), concurrency);
    }

    private static void sendBatch(String queueUrl, String... bodies) {
        queues.sqs.sendMessageBatch(request -> request.queueUrl(queueUrl).entries(
                java.util.stream.IntStream.range(0, bodies.length)
                        .mapToObj(i -> software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry.builder()
                                .id("m" + i).messageBody(bodies[i]).build())
                        .toList()));
    }

    private static List<Message> receiveWithin(String queueUrl, Duration timeout) {
        return await("a message in " + queueUrl).atMost(timeout).until(() -> queues.sqs.receiveMessage(request ->
                request.queueUrl(queueUrl).waitTimeSeconds(1).maxNumberOfMessages(10)).messages(), m -> !m.isEmpty());
    }
}
