package dev.huddle.local.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.huddle.common.Json;
import dev.huddle.devservers.SqsQueues;
import dev.huddle.rollup.RollupJobQueue;
import dev.huddle.rollup.TestSqs;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

class RollupQueuesTest {
    private final SqsClient sqs = TestSqs.client();

    @Test
    void createsDelayedFifoQueue_withRedriveToFifoDeadLetterQueue_andAgainReturnsTheSameQueues() throws Exception {
        RollupQueues first = RollupQueues.create(sqs, 5);
        RollupQueues again = RollupQueues.create(sqs, 5);

        assertThat(again).isEqualTo(first);
        var attributes = sqs.getQueueAttributes(request -> request.queueUrl(first.queueUrl())
                .attributeNames(QueueAttributeName.ALL)).attributes();
        assertThat(attributes).containsEntry(QueueAttributeName.FIFO_QUEUE, "true")
                .containsEntry(QueueAttributeName.DELAY_SECONDS, Integer.toString(RollupJobQueue.QUEUE_DELAY_SECONDS));
        JsonNode redrive = Json.mapper().readTree(attributes.get(QueueAttributeName.REDRIVE_POLICY));
        assertThat(redrive.path("deadLetterTargetArn").asText()).isEqualTo(SqsQueues.arn(sqs, first.deadLetterQueueUrl()));
        assertThat(redrive.path("maxReceiveCount").asInt()).isEqualTo(5);
        assertThat(first.deadLetterQueueUrl()).endsWith(RollupQueues.DEAD_LETTER_QUEUE_NAME);
    }
}
