package dev.huddle.rollup;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.huddle.common.AwsClients;
import dev.huddle.common.observability.LogSink;
import java.time.Clock;
import java.util.List;
import java.util.function.LongSupplier;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Lambda entry point of the rollup worker, fed by the FIFO job queue: hands the batch and the invocation's
 * time left to {@link RollupJobBatch} and reports its failed messages as {@code batchItemFailures} (the event
 * source mapping needs ReportBatchItemFailures), so only the failed ones come back.
 */
public final class RollupWorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    /** Without a Lambda context (tests, direct calls) only the job cap bounds a message. */
    private static final LongSupplier NO_DEADLINE = () -> Long.MAX_VALUE;

    private final RollupJobBatch batch;

    /** Lambda's constructor: configuration from the environment. */
    public RollupWorkerHandler() {
        this(RollupConfig.from(System.getenv()));
    }

    /** The real wiring for a configuration (Lambda, the local stack): collaborators built once per container. */
    public RollupWorkerHandler(RollupConfig config) {
        String queueUrl = config.requiredQueueUrl("rollup worker");
        LogSink logSink = LogSink.stdout();
        SqsClient sqs = AwsClients.sqs(config.aws());
        RollupJobQueue queue = new RollupJobQueue(sqs, queueUrl, Clock.systemUTC(), logSink);
        this.batch = new RollupJobBatch(PostgresRollupWorker.fromConfig(config), queue::enqueueContinuation,
                new FailedJobRetry(sqs, queueUrl, logSink, Clock.systemUTC()), logSink, Clock.systemUTC());
    }

    RollupWorkerHandler(RollupJobBatch batch) {
        this.batch = batch;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return handle(event, context == null ? NO_DEADLINE : context::getRemainingTimeInMillis);
    }

    /** As Lambda calls it, with the invocation's time left as a supplier (tests control it). */
    SQSBatchResponse handle(SQSEvent event, LongSupplier remainingMillis) {
        List<SQSEvent.SQSMessage> failed = batch.process(
                event.getRecords() == null ? List.of() : event.getRecords(), remainingMillis);
        return SQSBatchResponse.builder()
                .withBatchItemFailures(failed.stream().map(message -> SQSBatchResponse.BatchItemFailure.builder()
                        .withItemIdentifier(message.getMessageId()).build()).toList())
                .build();
    }
}
