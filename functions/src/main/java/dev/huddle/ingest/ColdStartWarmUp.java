package dev.huddle.ingest;

import dev.huddle.common.FailureText;
import dev.huddle.common.observability.EmfDocument;
import dev.huddle.common.observability.LogSink;
import dev.huddle.ratelimit.RateLimiter;
import dev.huddle.ratelimit.RateLimiters;
import dev.huddle.rollup.RollupJobQueue;
import dev.huddle.rollup.RollupJobs;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * Takes the first calls to DynamoDB, PostgreSQL and SQS off a new container's first request, and does them at
 * once, on two threads. docs/PERFORMANCE.md "Cold start of the ingest handler and the jar" has the profile
 * this follows and what it measured.
 *
 * <p><b>A cold start without SnapStart</b> ({@link #buildWarm}) runs its two halves at once, each also doing
 * what the first request would otherwise pay for:
 * <ul>
 *   <li>a thread of its own builds every AWS SDK client (DynamoDB for the rate limiter, Secrets Manager
 *       inside the store when the credentials come from a secret, SQS for the rollup jobs), and makes the
 *       rate limiter's first DynamoDB call: the SDK's request path loads and the connection opens (on AWS,
 *       the TLS handshake) here, under the first call's own budget, not under a request's;</li>
 *   <li>the constructing thread runs {@link IngestPriming}'s sample batch offline (Jackson, routing,
 *       validation, the answer), then opens the database connection with a statement shaped like the
 *       procedure calls ({@link PostgresEventStore#warmUp}), then makes the rollup queue's first call
 *       ({@link RollupJobs#warmUp}), each as soon as the other thread has built it.</li>
 * </ul>
 * The SDK clients are built on one thread only: their builders are not thread-safe, and one thread keeps
 * that out of question.
 *
 * <p><b>After a SnapStart restore</b> ({@link #afterRestore}) the classes are loaded (primed before the
 * snapshot) but no connection survived it: the same three calls run at once, DynamoDB's on a thread of its
 * own, while the restore is still going, instead of one after the other inside the first request.
 *
 * <p>Warming is best effort and bounded by the calls' own budgets: DynamoDB's first call budget
 * ({@code DYNAMODB_FIRST_CALL_TIMEOUT_MS}, which also opens the rate limiter's breaker when DynamoDB does
 * not answer, exactly as a request's call would), the database's connect and statement timeouts, SQS's
 * {@code SQS_TIMEOUT_MS}. A dependency that is down makes the cold start longer by at most those budgets,
 * never fails it; the first request then tries again. A configuration error (a missing table) is logged here
 * and answered by the request that meets it, as without warming.
 */
final class ColdStartWarmUp {
    /**
     * The start of the warm-up call's rate-limit key. A usable sub has no spaces ({@code HttpRequest.isUsableSubject}),
     * so no learner can share these buckets. Each container adds a random part: one shared item would take every
     * cold start's write, and a scale-out of hundreds of containers a second would be refused or throttled on it
     * (a throttle opens the new container's breaker). Each item expires by TTL a minute later, like any bucket.
     */
    static final String RATE_LIMIT_KEY_PREFIX = "ingest warm-up ";

    /** What the handler is built from. */
    record Collaborators(RateLimiter rateLimiter, PostgresEventStore store, RollupJobs rollupJobs) {
    }

    /** One warm-up call: how long it took, and what failed (empty: it was answered). */
    private record Call(long millis, Optional<String> failure) {
        static Call timed(Supplier<Optional<String>> call) {
            long start = System.nanoTime();
            Optional<String> failure = call.get();
            return new Call(millisSince(start), failure);
        }
    }

    private ColdStartWarmUp() {
    }

    /** Builds the collaborators of {@code config} one after the other, calling nothing (WARM_UP_AT_INIT=false, SnapStart). */
    static Collaborators build(IngestConfig config) {
        return new Collaborators(RateLimiters.fromConfig(config.rateLimit(), config.aws()),
                PostgresEventStore.fromConfig(config), RollupJobQueue.fromConfig(config.rollupQueueUrl(), config.aws()));
    }

    /**
     * Builds and warms the collaborators of {@code config}; logs one line with what each part took.
     *
     * @throws RuntimeException what building a collaborator threw (a configuration error), as if it were built
     *     on the calling thread
     */
    static Collaborators buildWarm(IngestConfig config, IngestPriming priming, LogSink log) {
        long start = System.nanoTime();
        CompletableFuture<PostgresEventStore> store = new CompletableFuture<>();
        CompletableFuture<RollupJobs> rollupJobs = new CompletableFuture<>();
        CompletableFuture<RateLimiter> rateLimiter = new CompletableFuture<>();
        CompletableFuture<Call> dynamoDb = new CompletableFuture<>();
        startDaemon("huddle-ingest-init-aws", () -> {
            try {
                // Every SDK client, each handed over as soon as it exists, then the rate limiter's first call.
                rateLimiter.complete(RateLimiters.fromConfig(config.rateLimit(), config.aws()));
                store.complete(PostgresEventStore.fromConfig(config));
                rollupJobs.complete(RollupJobQueue.fromConfig(config.rollupQueueUrl(), config.aws()));
                dynamoDb.complete(Call.timed(() -> callRateLimiter(rateLimiter.join())));
            } catch (Throwable e) {
                for (CompletableFuture<?> future : new CompletableFuture<?>[] {rateLimiter, store, rollupJobs, dynamoDb}) {
                    future.completeExceptionally(e);
                }
            }
        });

        Optional<String> sampleBatchFailure = Optional.empty();
        try {
            priming.runSampleBatch();
        } catch (RuntimeException e) {
            // A bug the first request of that shape would meet too; the warm-up itself must not fail the init.
            sampleBatchFailure = Optional.of(FailureText.of(e));
        }
        long sampleBatchMillis = millisSince(start);
        Call postgres = Call.timed(join(store)::warmUp);
        Call sqs = Call.timed(join(rollupJobs)::warmUp);
        log.write(line("init", start, join(dynamoDb), postgres, sqs)
                .property("sampleBatchMs", sampleBatchMillis)
                .property("sampleBatch", sampleBatchFailure.orElse("ok"))
                .toJson());
        return new Collaborators(join(rateLimiter), join(store), join(rollupJobs));
    }

    /**
     * Registers the warm-up after a SnapStart restore for {@code parts} (built before the snapshot). The caller
     * keeps the returned resource: CRaC holds it weakly.
     */
    static Resource afterRestore(Collaborators parts, LogSink log) {
        Resource resource = new Resource() {
            @Override
            public void beforeCheckpoint(Context<? extends Resource> context) {
                // Nothing: the connections are closed by their own hooks.
            }

            @Override
            public void afterRestore(Context<? extends Resource> context) {
                warmRestored(parts, log);
            }
        };
        Core.getGlobalContext().register(resource);
        return resource;
    }

    /** The three first calls of a restored container, DynamoDB's on a thread of its own; one log line. */
    static void warmRestored(Collaborators parts, LogSink log) {
        long start = System.nanoTime();
        CompletableFuture<Call> dynamoDb = new CompletableFuture<>();
        startDaemon("huddle-ingest-restore-aws", () -> {
            try {
                dynamoDb.complete(Call.timed(() -> callRateLimiter(parts.rateLimiter())));
            } catch (Throwable e) {
                // Never leave the restore waiting: whatever this was, the first request meets it again.
                dynamoDb.complete(new Call(millisSince(start), Optional.of(FailureText.of(e))));
            }
        });
        Call postgres = Call.timed(parts.store()::warmUp);
        Call sqs = Call.timed(parts.rollupJobs()::warmUp);
        log.write(line("restore", start, dynamoDb.join(), postgres, sqs).toJson());
    }

    /** The rate limiter's call for the warm-up key. */
    private static Optional<String> callRateLimiter(RateLimiter rateLimiter) {
        try {
            // Fails open (the local bucket answers) when DynamoDB is unavailable; throws on a configuration error.
            rateLimiter.tryAcquire(RATE_LIMIT_KEY_PREFIX + UUID.randomUUID());
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of(FailureText.of(e));
        }
    }

    private static EmfDocument line(String phase, long startNanos, Call dynamoDb, Call postgres, Call sqs) {
        return new EmfDocument(IngestTelemetry.NAMESPACE, Clock.systemUTC().instant())
                .dimension("phase", phase)
                .metric("coldStartWarmUpMs", millisSince(startNanos), "Milliseconds")
                .property("dynamoDbMs", dynamoDb.millis())
                // "called": it answered, or the rate limiter fell back and logged its own fallback line.
                .property("dynamoDb", dynamoDb.failure().orElse("called"))
                .property("postgresMs", postgres.millis())
                .property("postgres", postgres.failure().orElse("ok"))
                .property("sqsMs", sqs.millis())
                .property("sqs", sqs.failure().orElse("ok"));
    }

    /** A daemon: a warm-up must never keep a JVM alive (the local stack's, a test's). */
    private static void startDaemon(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** The future's value, or what its thread threw, rethrown unwrapped as the sequential build would have. */
    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
