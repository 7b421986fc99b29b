package dev.huddle.perf.loadtest;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * The stack a load test or a cold-start run works against, as the perf engine sees it. The emulated stack
 * implements it in local/ (dev.huddle.local.perf.StackLoadTarget: an own stack in a child JVM, or a running
 * one found through its state directory), so that this module never depends on local/.
 */
public interface LoadTarget extends AutoCloseable {
    /** The roles of {@link #processesByRole()}: the stack's JVM, its PostgreSQL, its dynalite. */
    String STACK_JVM = "stackJvm";
    String POSTGRES = "postgres";
    String DYNALITE = "dynalite";

    URI baseUrl();

    /** Signs learners' bearer tokens with the key the target's authorizer accepts. */
    TokenSigner tokens();

    /** The database itself (never through a latency proxy), to count rows. */
    DataSource database();

    /** The switch of an own stack's database outage; empty for a running stack. */
    Optional<Outage> outage();

    /** The target's addresses by Config name (DB_URL, DYNAMODB_ENDPOINT, SQS_ENDPOINT, ...). */
    Map<String, String> settings();

    String describe();

    /**
     * The target's processes on this machine by role ({@link #STACK_JVM}, {@link #POSTGRES},
     * {@link #DYNALITE}), for the load test's CPU by process; looked up again at each use,
     * since processes come and go. Empty for a target elsewhere.
     */
    default Map<String, Supplier<Stream<ProcessHandle>>> processesByRole() {
        return Map.of();
    }

    /** Stops an own stack and removes its state; leaves a running one alone. */
    @Override
    void close();

    /** The stack's token issuer, seen from here (RS256 with the stack's key; no groups). */
    @FunctionalInterface
    interface TokenSigner {
        String sign(String userId, Duration ttl, Instant now);
    }

    /** A database outage of an own stack (its TCP proxy resets every connection and refuses new ones). */
    interface Outage {
        void start();

        void end();
    }

    /** How a command gets its target; the command in local/ supplies the emulated stack's. */
    interface Factory {
        /** A stack of its own on free ports, ready when returned; {@code runOptions} are extra {@code run} options. */
        LoadTarget ownStack(int concurrency, List<String> runOptions, Path log);

        /** A stack already running at {@code baseUrl}. */
        LoadTarget running(URI baseUrl);
    }
}
