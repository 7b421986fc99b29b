package dev.huddle.local.stack;

import dev.huddle.local.StartupProgress;
import dev.huddle.ops.target.StackEndpoints;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;

/** Starts the stack for a person at a terminal: progress, the ready block, and a clean stop on Ctrl-C. */
public final class StackRunner {
    private StackRunner() {
    }

    /** Blocks until the JVM is asked to stop; returns 0 after a clean stop. */
    public static int runUntilStopped(EmulatedStackOptions options) throws InterruptedException {
        // The JVM's own start, not the process's: `local/run` execs java in the process that built the jar.
        Instant jvmStart = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
        EmulatedStack stack = EmulatedStack.start(options, new StartupProgress(System.err, EmulatedStack.STEPS));
        new StackEndpoints(ProcessHandle.current().pid(), stack.baseUrl(), stack.providedSettings())
                .write(options.stateDirectory());
        System.err.println(ReadyBanner.of(stack, options.stateDirectory(), Duration.between(jvmStart, Instant.now())));

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("Stopping: background functions, HTTP API, S3 API, SQS API, DynamoDB API, PostgreSQL ...");
            StackEndpoints.removeOwn(options.stateDirectory());
            stack.close();
            System.err.println("Stopped.");
            stopped.countDown();
        }, "local-stack-stop"));
        stopped.await();
        return 0;
    }
}
