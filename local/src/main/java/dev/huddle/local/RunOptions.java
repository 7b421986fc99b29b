package dev.huddle.local;

import dev.huddle.local.gateway.GatewaySettings;
import dev.huddle.local.gateway.LocalFunction;
import dev.huddle.local.stack.BackgroundSettings;
import dev.huddle.perf.options.DurationConverter;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/** Options of starting the stack, shared by {@code run} and the tool without a command. */
public final class RunOptions {
    @Option(names = "--port", paramLabel = "N", defaultValue = "${env:PORT:-3000}",
            description = "TCP port of the API (default: $PORT or 3000).")
    int port;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Interface to listen on (default: ${DEFAULT-VALUE}, this machine only).")
    String host;

    @Option(names = "--fresh",
            description = "Wipe the embedded database (.local-stack/postgres) before starting.")
    boolean fresh;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "" + GatewaySettings.DEFAULT_THREADS,
            description = "Worker threads of the HTTP front, i.e. the most concurrent function invocations"
                    + " (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "" + LocalFunction.DEFAULT_MAX_ENVIRONMENTS,
            description = "Execution environments per function, like reserved concurrency: each holds its own"
                    + " DB connection and DynamoDB client; requests beyond wait (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--rollup-batch-size", paramLabel = "N", defaultValue = "" + BackgroundSettings.DEFAULT_ROLLUP_BATCH_SIZE,
            description = "Rollup jobs per worker invocation, the event source mapping's batch size, 1..10"
                    + " (default: ${DEFAULT-VALUE}).")
    int rollupBatchSize;

    @Option(names = "--rollup-concurrency", paramLabel = "N", defaultValue = "" + BackgroundSettings.DEFAULT_ROLLUP_CONCURRENCY,
            description = "Parallel rollup pollers, i.e. orgs rolled up at the same time (default: ${DEFAULT-VALUE}).")
    int rollupConcurrency;

    @Option(names = "--rollup-visibility-timeout", paramLabel = "DURATION", defaultValue = "60s",
            converter = DurationConverter.class,
            description = "How long a rollup job being worked on stays invisible; a failed job is retried after it"
                    + " (default: ${DEFAULT-VALUE}).")
    Duration rollupVisibilityTimeout;

    @Option(names = "--sweep-every", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "How often the sweep queues rollup jobs for orgs with a backlog (default: ${DEFAULT-VALUE}).")
    Duration sweepEvery;

    @Option(names = "--retention-every", paramLabel = "DURATION", defaultValue = "1d", converter = DurationConverter.class,
            description = "How often retention runs, first one interval after the start (default: ${DEFAULT-VALUE},"
                    + " nightly as on AWS; e.g. 1h). `local-stack.jar retention` runs it now.")
    Duration retentionEvery;

    @Option(names = "--db-latency", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Puts a TCP proxy between the functions and PostgreSQL that delays every round trip by"
                    + " this much (e.g. 200ms), to see back-pressure: responses carry X-Client-Queue-Lag once the"
                    + " functions' DB latency average passes DB_LATENCY_SLO_MS (default 500). Default: no proxy.")
    Duration dbLatency;

    @Option(names = "--cors-origin", paramLabel = "ORIGIN", split = ",",
            description = "A browser origin allowed to call the API (CORS preflights are answered for it), e.g."
                    + " http://localhost:5173; repeatable. Default: CORS_ALLOWED_ORIGINS, else the stack's own demo"
                    + " page (http://HOST:PORT/demo/).")
    List<String> corsOrigins = List.of();

    BackgroundSettings background() {
        return new BackgroundSettings(rollupBatchSize, rollupConcurrency, rollupVisibilityTimeout, sweepEvery,
                retentionEvery, retentionEvery);
    }
}
