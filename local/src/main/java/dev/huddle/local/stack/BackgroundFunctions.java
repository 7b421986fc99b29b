package dev.huddle.local.stack;

import dev.huddle.common.Config;
import dev.huddle.local.schedule.LocalSchedule;
import dev.huddle.retention.RetentionHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The functions that no HTTP request triggers, wired as the CDK stack wires them on AWS: retention on a
 * schedule rule (nightly there; {@link BackgroundSettings#retentionEvery()} here).
 */
final class BackgroundFunctions implements AutoCloseable {
    static final String RETENTION_RULE = "huddle-retention-nightly";
    /** Retention streams whole partitions: the function's timeout is Lambda's maximum. */
    static final Duration RETENTION_TIMEOUT = Duration.ofMinutes(15);

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final List<String> descriptions = new ArrayList<>();
    private LocalSchedule retention;

    private BackgroundFunctions() {
    }

    static BackgroundFunctions start(Config config, BackgroundSettings settings) {
        BackgroundFunctions functions = new BackgroundFunctions();
        try {
            functions.startRetention(config, settings);
            return functions;
        } catch (RuntimeException | Error e) {
            functions.close();
            throw e;
        }
    }

    private void startRetention(Config config, BackgroundSettings settings) {
        retention = LocalSchedule.start(RETENTION_RULE, "huddle-retention", settings.retentionEvery(),
                settings.retentionFirstRunAfter(), RETENTION_TIMEOUT, RetentionHandler.fromConfig(config),
                Clock.systemUTC());
        started.push(retention);
        descriptions.add("Retention  every " + human(settings.retentionEvery())
                + " (run it now: local-stack.jar retention [--dry-run])");
    }

    /** The retention schedule, to run it on demand. */
    LocalSchedule retention() {
        return retention;
    }

    /** One line per background function, for the ready banner. */
    List<String> descriptions() {
        return List.copyOf(descriptions);
    }

    static String human(Duration duration) {
        if (duration.toDays() > 0 && duration.equals(Duration.ofDays(duration.toDays()))) {
            return duration.toDays() + "d";
        }
        if (duration.toHours() > 0 && duration.equals(Duration.ofHours(duration.toHours()))) {
            return duration.toHours() + "h";
        }
        if (duration.toMinutes() > 0 && duration.equals(Duration.ofMinutes(duration.toMinutes()))) {
            return duration.toMinutes() + "m";
        }
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }

    @Override
    public void close() {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                System.err.println("stopping a background function failed: " + e.getMessage());
            }
        }
    }
}
