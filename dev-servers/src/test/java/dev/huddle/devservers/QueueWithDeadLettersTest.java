package dev.huddle.devservers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The queue + dead-letter queue builder against a real ElasticMQ. */
class QueueWithDeadLettersTest {
    private static TestQueues elasticMq;
    private static SqsClient sqs;

    @BeforeAll
    static void start() {
        elasticMq = new TestQueues();
        sqs = elasticMq.sqs;
    }

    @AfterAll
    static void stop() {
        elasticMq.close();
    }

    @Test
    void createsAFifoPairWithEverySetting_andReturnsTheSamePairWhenCreatedAgain() throws Exception {
        QueueWithDeadLetters.Builder builder = QueueWithDeadLetters.named("jobs").fifo(true).maxReceiveCount(4)
                .visibilityTimeout(Duration.ofSeconds(90)).delay(Duration.ofSeconds(2))
                .deadLetterRetention(Duration.ofDays(14));

        QueueWithDeadLetters pair = builder.create(sqs);

        assertThat(builder.create(sqs)).isEqualTo(pair);
        assertThat(pair.queueUrl()).endsWith("/jobs.fifo");
        assertThat(pair.deadLetterQueueUrl()).endsWith("/jobs-dlq.fifo");
        Map<QueueAttributeName, String> queue = attributes(pair.queueUrl());
        assertThat(queue).containsEntry(QueueAttributeName.FIFO_QUEUE, "true")
                .containsEntry(QueueAttributeName.VISIBILITY_TIMEOUT, "90")
                .containsEntry(QueueAttributeName.DELAY_SECONDS, "2");
        JsonNode redrive = new ObjectMapper().readTree(queue.get(QueueAttributeName.REDRIVE_POLICY));
        assertThat(redrive.path("deadLetterTargetArn").asText()).isEqualTo(SqsQueues.arn(sqs, pair.deadLetterQueueUrl()));
        assertThat(redrive.path("maxReceiveCount").asInt()).isEqualTo(4);
        // ElasticMQ accepts but does not report MessageRetentionPeriod: that one is not checked here.
        assertThat(attributes(pair.deadLetterQueueUrl())).containsEntry(QueueAttributeName.FIFO_QUEUE, "true")
                .doesNotContainKey(QueueAttributeName.REDRIVE_POLICY);
    }

    @Test
    void namesAStandardPairWithoutTheFifoSuffix() {
        QueueWithDeadLetters pair = QueueWithDeadLetters.named("plain").maxReceiveCount(1).create(sqs);

        assertThat(pair.queueUrl()).endsWith("/plain");
        assertThat(pair.deadLetterQueueUrl()).endsWith("/plain-dlq");
        assertThat(attributes(pair.queueUrl())).doesNotContainEntry(QueueAttributeName.FIFO_QUEUE, "true");
    }

    @Test
    void refusesAPairWithoutAValidMaxReceiveCount() {
        assertThatThrownBy(() -> QueueWithDeadLetters.named("no-count").create(sqs))
                .isInstanceOf(IllegalStateException.class).hasMessage("maxReceiveCount is not set for queue no-count");
        assertThatThrownBy(() -> QueueWithDeadLetters.named("zero").maxReceiveCount(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxReceiveCount must be at least 1: 0");
    }

    private static Map<QueueAttributeName, String> attributes(String queueUrl) {
        return sqs.getQueueAttributes(request -> request.queueUrl(queueUrl).attributeNames(QueueAttributeName.ALL))
                .attributes();
    }
}
