package dev.huddle.local.stack;

import dev.huddle.common.AwsClients;
import dev.huddle.common.AwsConfig;
import dev.huddle.rollup.RollupConfig;
import dev.huddle.devservers.ElasticMqServer;
import dev.huddle.local.sqs.RollupQueues;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The SQS API for the rollup jobs: ElasticMQ in this JVM (in memory), or the endpoint in
 * {@code SQS_ENDPOINT}; and the job queue with its dead-letter queue, created as CDK creates them on AWS,
 * unless {@code ROLLUP_QUEUE_URL} names an existing queue.
 */
final class RollupQueueService {
    private RollupQueueService() {
    }

    /** Starts ElasticMQ unless {@code SQS_ENDPOINT} is set; returns the settings it provides. */
    static Map<String, String> startUnlessExternal(EmulatedStackOptions options, Deque<AutoCloseable> started) {
        if (options.setting("SQS_ENDPOINT") != null) {
            return Map.of();
        }
        ElasticMqServer elasticMq = ElasticMqServer.start(0);
        started.push(elasticMq);
        return Map.of("SQS_ENDPOINT", elasticMq.endpoint().toString());
    }

    /** Creates the queues unless {@code ROLLUP_QUEUE_URL} is set; returns their URLs as settings. */
    static Map<String, String> createQueuesUnlessConfigured(RollupConfig config) {
        if (config.queueUrl().isPresent()) {
            return Map.of();
        }
        try (SqsClient sqs = AwsClients.sqs(withLongerTimeout(config))) {
            RollupQueues queues = RollupQueues.create(sqs, config.maxReceiveCount());
            return Map.of("ROLLUP_QUEUE_URL", queues.queueUrl(), "ROLLUP_DLQ_URL", queues.deadLetterQueueUrl());
        }
    }

    /**
     * A client for the stack's own SQS work (creating queues, the event source mapping's long polls): the
     * functions' budget ({@code SQS_TIMEOUT_MS}) is for a send on the request path, far shorter than a long
     * poll.
     */
    static SqsClient pollingClient(RollupConfig config) {
        return AwsClients.sqs(withLongerTimeout(config));
    }

    private static AwsConfig withLongerTimeout(RollupConfig config) {
        Map<String, String> settings = new HashMap<>();
        settings.put("AWS_REGION", config.aws().region());
        settings.put("SQS_TIMEOUT_MS", "30000");
        config.aws().sqsEndpoint().ifPresent(endpoint -> settings.put("SQS_ENDPOINT", endpoint.toString()));
        return AwsConfig.from(settings);
    }

    static String describe(RollupConfig config, boolean external) {
        return config.aws().sqsEndpoint().map(Object::toString).orElse("AWS")
                + (external ? " (external, SQS_ENDPOINT)" : " (ElasticMQ, in memory)")
                + ", jobs " + config.queueUrl().orElse("-")
                + ", dead letters " + config.dlqUrl().orElse("-");
    }
}
