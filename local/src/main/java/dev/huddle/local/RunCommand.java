package dev.huddle.local;

import dev.huddle.local.stack.EmulatedStack;
import dev.huddle.local.stack.EmulatedStackOptions;
import dev.huddle.local.stack.StackRunner;
import dev.huddle.ops.target.StateDirectory;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code run}: starts the whole stack and serves until Ctrl-C (also what the tool does without a command). */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {
            "Starts the local stack: embedded PostgreSQL 17 (or DB_URL, DB_USER, DB_PASSWORD), dynalite (or"
                    + " DYNAMODB_ENDPOINT), migrations, demo data, and the real handlers behind an"
                    + " API-Gateway-compatible HTTP front with JWT verification. Ctrl-C stops it.",
            "Other environment variables configure the functions as on AWS (e.g. RATE_LIMIT_BURST)."
        })
final class RunCommand implements Callable<Integer> {
    @Mixin
    RunOptions run;

    @Mixin
    StateDirectory stateDirectory;

    @Override
    public Integer call() throws InterruptedException {
        return start(run, stateDirectory);
    }

    static int start(RunOptions run, StateDirectory stateDirectory) throws InterruptedException {
        // The JVM gives its threads the OS priority of their Java priority (when started with
        // -XX:ThreadPriorityPolicy=1, as the load test starts its own stack) except this first one. Set here, it
        // also reaches PostgreSQL and dynalite, which this thread starts and which inherit its nice value.
        Thread.currentThread().setPriority(Thread.NORM_PRIORITY);
        EmulatedStackOptions options = new EmulatedStackOptions(stateDirectory.path(), run.host, run.port, run.threads,
                run.concurrency, run.fresh, run.background(), run.dbLatency, environment(run));
        return StackRunner.runUntilStopped(options);
    }

    /** The process environment, with {@code --cors-origin} as the stack's CORS setting when given. */
    private static Map<String, String> environment(RunOptions run) {
        Map<String, String> environment = new HashMap<>(System.getenv());
        if (!run.corsOrigins.isEmpty()) {
            environment.put(EmulatedStack.CORS_SETTING, String.join(",", run.corsOrigins));
        }
        return environment;
    }
}
