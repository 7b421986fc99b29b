package dev.huddle.rollup;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.huddle.common.AwsClients;
import dev.huddle.common.Config;
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

    public RollupSchedulerHandler() {
        this(fromConfig(Config.fromEnvironment()));
    }

    private RollupSchedulerHandler(RollupSchedulerHandler wired) {
        this(wired.scheduler, wired.logSink, wired.clock);
    }

    public RollupSchedulerHandler(RollupScheduler scheduler, LogSink logSink, Clock clock) {
        this.scheduler = scheduler;
        this.logSink = logSink;
        this.clock = clock;
    }

    public static RollupSchedulerHandler fromConfig(Config config) {
        String queueUrl = config.rollupQueueUrl().orElseThrow(() ->
                new IllegalStateException("ROLLUP_QUEUE_URL is required by the rollup sweep"));
        LogSink logSink = LogSink.stdout();
        RollupJobQueue queue = new RollupJobQueue(AwsClients.sqs(config), queueUrl, Clock.systemUTC(),
                RollupJobQueue.DEFAULT_BUCKET, logSink);
        return new RollupSchedulerHandler(new RollupScheduler(PostgresRollupWorker.fromConfig(config), queue),
                logSink, Clock.systemUTC());
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
