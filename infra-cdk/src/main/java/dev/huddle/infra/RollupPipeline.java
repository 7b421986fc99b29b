package dev.huddle.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * The rollup pipeline: ingest sends one job per org and 5-second bucket to a FIFO queue (group = org,
 * explicit deduplication ids, so content-based deduplication is off); the worker consumes it through an
 * event source mapping that reports partial batch failures; a schedule sweeps every minute for orgs whose
 * job was lost; failed jobs land in a FIFO DLQ after {@value #MAX_RECEIVE_COUNT} receives, and an operator
 * replays them with the replay function.
 */
public final class RollupPipeline extends Construct {
    public static final int MAX_RECEIVE_COUNT = 5;
    /** The fan-out bucket of 5 s + 1 s (dev.huddle.rollup.RollupJobQueue): a job runs after its bucket closed. */
    public static final Duration DELIVERY_DELAY = Duration.seconds(6);
    /** Up to 5 jobs per invocation, each bounded by the statement timeout below. */
    public static final int WORKER_BATCH_SIZE = 5;
    static final int WORKER_STATEMENT_TIMEOUT_MS = 25_000;
    /** 5 jobs × 25 s statements + connection and margin. */
    public static final Duration WORKER_TIMEOUT = Duration.seconds(150);

    private final Queue queue;
    private final Queue deadLetterQueue;
    private final JavaFunction worker;
    private final JavaFunction scheduler;
    private final JavaFunction replay;

    RollupPipeline(Construct scope, String id, FunctionFactory functions, HuddleSettings settings) {
        super(scope, id);
        deadLetterQueue = Queue.Builder.create(this, "DeadLetterQueue")
                .fifo(true)
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .build();
        queue = Queue.Builder.create(this, "JobQueue")
                .fifo(true)
                .contentBasedDeduplication(false)
                .deliveryDelay(DELIVERY_DELAY)
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                // AWS guidance for SQS event sources: at least 6 × the function timeout, so messages of a
                // throttled or retried invocation do not become visible again while still in flight.
                .visibilityTimeout(Duration.seconds(WORKER_TIMEOUT.toSeconds().intValue() * 6))
                .retentionPeriod(Duration.days(4))
                .deadLetterQueue(DeadLetterQueue.builder().queue(deadLetterQueue).maxReceiveCount(MAX_RECEIVE_COUNT).build())
                .build();

        worker = functions.databaseFunction(this, "Worker", DatabaseRole.ROLLUP_WORKER, new FunctionFactory.Spec(FunctionFamily.ROLLUP,
                "dev.huddle.rollup.RollupWorkerHandler",
                "Rolls up an org's new events into daily aggregates (SQS FIFO jobs)",
                1024, WORKER_TIMEOUT,
                Map.of("ROLLUP_QUEUE_URL", queue.getQueueUrl(),
                        "ROLLUP_MAX_RECEIVE_COUNT", Integer.toString(MAX_RECEIVE_COUNT),
                        "ROLLUP_STATEMENT_TIMEOUT_MS", Integer.toString(WORKER_STATEMENT_TIMEOUT_MS))));
        // Consumes through the alias; maximum concurrency caps the database load of rollups, whatever the
        // number of message groups (orgs) with work.
        worker.alias().addEventSource(SqsEventSource.Builder.create(queue)
                .batchSize(WORKER_BATCH_SIZE)
                .reportBatchItemFailures(true)
                .maxConcurrency(settings.workerMaxConcurrency())
                .build());
        // Continuation jobs when an org has more than one job's worth of events.
        grantSend(worker, queue);

        scheduler = functions.databaseFunction(this, "Sweep", DatabaseRole.ROLLUP_SWEEP, new FunctionFactory.Spec(FunctionFamily.ROLLUP,
                "dev.huddle.rollup.RollupSchedulerHandler",
                "Every minute: queues a rollup job for each org with pending events",
                512, Duration.seconds(60),
                Map.of("ROLLUP_QUEUE_URL", queue.getQueueUrl())));
        grantSend(scheduler, queue);
        // No retries: a missed sweep is replaced by the next one a minute later.
        scheduler.invokeOnSchedule(this, "SweepSchedule", "huddle rollup sweep, every minute",
                Schedule.rate(Duration.minutes(1)), 0);

        replay = functions.awsApiFunction(this, "Replay", new FunctionFactory.Spec(FunctionFamily.ROLLUP,
                "dev.huddle.replay.DeadLetterReplayHandler",
                "Operator tool: moves rollup dead letters back to the job queue ({\"dryRun\": false, \"maxMessages\": n})",
                512, Duration.seconds(60),
                Map.of("ROLLUP_QUEUE_URL", queue.getQueueUrl(), "ROLLUP_DLQ_URL", deadLetterQueue.getQueueUrl())));
        replay.role().addToPolicy(PolicyStatement.Builder.create()
                .sid("ReadDeadLetters")
                .actions(List.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility",
                        "sqs:GetQueueAttributes"))
                .resources(List.of(deadLetterQueue.getQueueArn()))
                .build());
        grantSend(replay, queue);
    }

    /** Health reports the job queue's depth (GetQueueAttributes, nothing else on the queue). */
    public void grantDepthReading(JavaFunction function) {
        function.function().addEnvironment("ROLLUP_QUEUE_URL", queue.getQueueUrl());
        function.role().addToPolicy(PolicyStatement.Builder.create()
                .sid("ReadRollupQueueDepth")
                .actions(List.of("sqs:GetQueueAttributes"))
                .resources(List.of(queue.getQueueArn()))
                .build());
    }

    private static void grantSend(JavaFunction function, Queue target) {
        function.role().addToPolicy(PolicyStatement.Builder.create()
                .sid("SendRollupJobs")
                .actions(List.of("sqs:SendMessage"))
                .resources(List.of(target.getQueueArn()))
                .build());
    }

    public Queue queue() {
        return queue;
    }

    public Queue deadLetterQueue() {
        return deadLetterQueue;
    }

    public JavaFunction worker() {
        return worker;
    }

    public JavaFunction scheduler() {
        return scheduler;
    }

    public JavaFunction replay() {
        return replay;
    }

    /** For the ingest function's fan-out. */
    public void grantSendJobs(JavaFunction function) {
        grantSend(function, queue);
    }
}
