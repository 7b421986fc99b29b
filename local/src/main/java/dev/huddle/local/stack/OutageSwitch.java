package dev.huddle.local.stack;

import dev.huddle.devservers.LatencyProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A database outage switched from outside the stack's process: while the file {@code db-outage} exists in
 * the state directory of a stack started with {@code --db-latency}, its database proxy resets every
 * connection and refuses new ones. The load test's own stack runs in a child JVM (so the generator never
 * pauses it); this file is how the generator starts and ends the outage at the planned moments.
 */
public final class OutageSwitch {
    static final String FILE_NAME = "db-outage";
    private static final long POLL_MILLIS = 50;

    private final Path file;

    public OutageSwitch(Path stateDirectory) {
        this.file = stateDirectory.resolve(FILE_NAME);
    }

    public void start() {
        try {
            Files.writeString(file, "outage\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public void end() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + file, e);
        }
    }

    /** Follows the file with the proxy, every 50 ms, until the returned executor is shut down. */
    ScheduledExecutorService follow(LatencyProxy proxy) {
        end();
        ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(runnable ->
                Thread.ofPlatform().daemon().name("db-outage-switch").unstarted(runnable));
        boolean[] on = {false};
        watcher.scheduleWithFixedDelay(() -> {
            boolean wanted = Files.exists(file);
            if (wanted != on[0]) {
                on[0] = wanted;
                if (wanted) {
                    proxy.startOutage();
                } else {
                    proxy.endOutage();
                }
            }
        }, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
        return watcher;
    }
}
