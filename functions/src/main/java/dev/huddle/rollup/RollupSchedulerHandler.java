package dev.huddle.rollup;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.huddle.common.AwsClients;
import dev.huddle.common.observability.EmfDocument;
import dev.huddle.common.observability.LogSink;
import java.time.Clock;
import java.util.Map;
import java.util.Set;

/**
 * Lambda entry point of the rollup sweep, run by an EventBridge rule every minute. A failure (database
 * or queue) is thrown, so the invocation is reported failed and the next minute's run tries again.
 */
public final class RollupSchedulerHandler implements RequestHandler<ScheduledEvent, Map<String, Object>> {
    private final RollupScheduler scheduler;
    private final LogSink logSink;
    private final Clock clock;

    /** Lambda's constructor: configuration from the environment. */
    public RollupSchedulerHandler() {
        this(RollupConfig.from(System.getenv()));
    }

    /** The real wiring for a configuration (Lambda, the local stack): collaborators built once per container. */
    public RollupSchedulerHandler(RollupConfig config) {
        this.logSink = LogSink.stdout();
        this.clock = Clock.systemUTC();
        RollupJobQueue queue = new RollupJobQueue(AwsClients.sqs(config.aws()), config.requiredQueueUrl("rollup sweep"),
                clock, logSink);
        this.scheduler = new RollupScheduler(PostgresRollupWorker.fromConfig(config), queue);
    }

    /** The sweep, and where its metric line goes. */
    RollupSchedulerHandler(RollupScheduler scheduler, LogSink logSink, Clock clock) {
        this.scheduler = scheduler;
        this.logSink = logSink;
        this.clock = clock;
    }

    @Override
    public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
        Set<String> queued;
        try {
            queued = scheduler.sweep();
        } catch (Exception e) {
            throw new IllegalStateException("rollup sweep failed: " + e.getClass().getSimpleName(), e);
        }
        logSink.write(new EmfDocument("Huddle/Rollup", clock.instant())
                .dimension("operation", "sweep")
                .metric("rollupJobsQueuedBySweep", queued.size(), "Count")
                .toJson());
        return Map.of("queuedOrgs", queued.size());
    }
}
