package dev.huddle.health;

import dev.huddle.common.AwsClients;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Reads the job queue's depth with one GetQueueAttributes call: visible + in flight + delayed messages
 * (a fresh job waits out the queue delay, so "delayed" is where a burst's jobs sit). The SQS client has
 * the request path's short timeouts ({@code SQS_TIMEOUT_MS}), and the answer, or the failure, is kept
 * for {@link #CACHE_FOR} per container, so frequent health checks cost one SQS call every few seconds
 * and an unreachable queue does not make every check wait for its timeout.
 */
final class SqsRollupQueueGauge implements RollupQueueGauge {
    static final Duration CACHE_FOR = Duration.ofSeconds(5);
    private static final List<QueueAttributeName> DEPTH_ATTRIBUTES = List.of(
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED);

    private final SqsClient sqs;
    private final String queueUrl;
    private final InstantSource clock;
    private Reading cached;
    private Instant cachedUntil = Instant.MIN;

    public SqsRollupQueueGauge(SqsClient sqs, String queueUrl, InstantSource clock) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.clock = clock;
    }

    /** The gauge of the configured job queue, or one that reports "not configured" without a queue URL. */
    public static RollupQueueGauge fromConfig(HealthConfig config) {
        return config.rollupQueueUrl()
                .<RollupQueueGauge>map(url -> new SqsRollupQueueGauge(AwsClients.sqs(config.aws()), url, Clock.systemUTC()))
                .orElseGet(RollupQueueGauge::notConfigured);
    }

    @Override
    public synchronized Reading read() {
        Instant now = clock.instant();
        if (now.isBefore(cachedUntil)) {
            return cached;
        }
        cached = readQueue();
        cachedUntil = now.plus(CACHE_FOR);
        return cached;
    }

    private Reading readQueue() {
        try {
            Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(request -> request.queueUrl(queueUrl)
                    .attributeNames(DEPTH_ATTRIBUTES)).attributes();
            long depth = 0;
            for (QueueAttributeName name : DEPTH_ATTRIBUTES) {
                depth += Long.parseLong(attributes.getOrDefault(name, "0"));
            }
            return Reading.of(depth);
        } catch (RuntimeException e) {
            // SdkException, a depth that is not a number, or the HTTP client itself breaking (HttpURLConnection's
            // NullPointerException on an aborted connection, see ratelimit.DynamoDbTokenBucket): the queue could
            // not be read, which health reports as "rollup_queue_unreachable", never as a 500.
            return Reading.failed();
        }
    }
}
