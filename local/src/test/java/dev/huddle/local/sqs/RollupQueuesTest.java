package dev.huddle.local.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.huddle.common.Json;
import dev.huddle.rollup.RollupJobQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

class RollupQueuesTest {
    private static TestQueues elasticMq;

    @BeforeAll
    static void start() {
        elasticMq = new TestQueues();
    }

    @AfterAll
    static void stop() {
        elasticMq.close();
    }

    @Test
    void createsDelayedFifoQueue_withRedriveToFifoDeadLetterQueue_andAgainReturnsTheSameQueues() throws Exception {
        RollupQueues first = RollupQueues.create(elasticMq.sqs, 5);
        RollupQueues again = RollupQueues.create(elasticMq.sqs, 5);

        assertThat(again).isEqualTo(first);
        var attributes = elasticMq.sqs.getQueueAttributes(request -> request.queueUrl(first.queueUrl())
                .attributeNames(QueueAttributeName.ALL)).attributes();
        assertThat(attributes).containsEntry(QueueAttributeName.FIFO_QUEUE, "true")
                .containsEntry(QueueAttributeName.DELAY_SECONDS, Integer.toString(RollupJobQueue.QUEUE_DELAY_SECONDS));
        JsonNode redrive = Json.mapper().readTree(attributes.get(QueueAttributeName.REDRIVE_POLICY));
        assertThat(redrive.path("deadLetterTargetArn").asText()).isEqualTo(elasticMq.arn(first.deadLetterQueueUrl()));
        assertThat(redrive.path("maxReceiveCount").asInt()).isEqualTo(5);
        assertThat(first.deadLetterQueueUrl()).endsWith(RollupQueues.DEAD_LETTER_QUEUE_NAME);
    }
}
