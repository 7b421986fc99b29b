package dev.huddle.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.huddle.common.db.DatabaseConnection;
import dev.huddle.common.http.HttpResponse;
import dev.huddle.common.observability.LatencyEwma;
import dev.huddle.ratelimit.RateLimitDecision;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Issue 9's generative test: {@value #TRIES} random and adversarial requests ({@link FuzzBodies}) through
 * the real {@link IngestService} — body decoding, the bounded JSON reader, the validators, the response —
 * and the real {@link PostgresEventStore} against an embedded PostgreSQL for every body with a valid
 * event. Every request must get an answer below 500 and cost its thread at most {@link #CPU_BUDGET} of CPU
 * time (ThreadMXBean: the time this thread ran, not the wall clock; the store's wait for PostgreSQL is not
 * CPU either). A request over the budget is sent again up to {@value #REMEASURE} times, a pause apart, and
 * its smallest CPU time counts: contention with other processes, a garbage collection or a JIT
 * deoptimization only ever add time, while a request that is expensive by itself (the hang of issue 9)
 * stays over on every run. Contention inflates a thread's CPU time too (cache and core sharing): two
 * fresh-clone CI runs of 2026-12-03 measured a 180 KB object of 25,000 members at 24–25 ms, which cost
 * 7.5–12.6 ms on a quiet machine. The fix was in the product, not here: the reader now refuses the 4,097th
 * entry of a container (Json.MAX_CONTAINER_ENTRIES) instead of building the whole object, and the largest
 * request of a quiet run fell to 3.7 ms.
 * The rate limiter admits everything: it is not what is fuzzed.
 *
 * <p>A failure prints jqwik's seed and the falsifying request; rerun it with
 * {@code @Property(seed = "...")} on this method. The summary line ({@code fuzz: ...}) gives the count,
 * the status mix and the largest CPU time seen.
 */
class IngestFuzzTest {
    static final int TRIES = 100_000;
    /** The contract's budget (openapi.yaml, "Limits"): a request costs the function at most this much CPU. */
    static final Duration CPU_BUDGET = Duration.ofMillis(20);
    /** Requests run before the property so the JIT has compiled the hot path, as SnapStart priming does. */
    private static final int WARM_UP = 3_000;
    /** Extra runs of a request measured over the budget (see the class comment). */
    private static final int REMEASURE = 10;
    /** Between remeasures, so that a burst of another process's work can pass. */
    private static final long REMEASURE_PAUSE_MILLIS = 50;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static IngestDatabase db;
    private static DatabaseConnection connection;
    private static IngestService service;
    private static final Map<Integer, Integer> statuses = new TreeMap<>();
    private static long maxCpuNanos;
    private static String maxCpuKind = "";
    private static long startedNanos;
    private static long handlingNanos;

    @BeforeContainer
    static void startService() {
        db = IngestDatabase.create();
        connection = new DatabaseConnection(db.factory(Duration.ofSeconds(5), "huddle-ingest-fuzz", null));
        service = new IngestService(IngestConfig.from(Map.of()), user -> RateLimitDecision.allow(),
                new PostgresEventStore(connection), ProgressEventValidatorTest.CLOCK, new LatencyEwma(), line -> { });
        FuzzBodies.requests().sampleStream().limit(WARM_UP)
                .forEach(request -> service.handle(request.route(), request.toHttpRequest()));
        startedNanos = System.nanoTime();
    }

    @AfterContainer
    static void summarize() {
        System.out.printf("fuzz: %d requests in %d s (%d s of them handling), statuses %s,"
                        + " max CPU per request %.2f ms (%s)%n",
                statuses.values().stream().mapToInt(Integer::intValue).sum(),
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedNanos),
                TimeUnit.NANOSECONDS.toSeconds(handlingNanos), statuses, maxCpuNanos / 1e6, maxCpuKind);
        if (connection != null) {
            connection.close();
        }
    }

    @Provide
    Arbitrary<FuzzBodies.FuzzRequest> requests() {
        return FuzzBodies.requests();
    }

    /**
     * jqwik's own edge cases are off: mixed in, a quarter of the tries were edge-case combinations, most of
     * them the largest sizes of every generator at once (270 KB bodies), which tripled the run time without
     * finding more. {@link FuzzBodies} draws its adversarial shapes on purpose instead.
     */
    @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE)
    void everyRequestShouldGetAnAnswerBelow500_withinTheCpuBudget(@ForAll("requests") FuzzBodies.FuzzRequest request) {
        long wallBefore = System.nanoTime();
        long cpuBefore = THREADS.getCurrentThreadCpuTime();
        HttpResponse response = service.handle(request.route(), request.toHttpRequest());
        long cpuNanos = THREADS.getCurrentThreadCpuTime() - cpuBefore;
        handlingNanos += System.nanoTime() - wallBefore;
        for (int i = 0; i < REMEASURE && cpuNanos > CPU_BUDGET.toNanos(); i++) {
            pause();
            long again = THREADS.getCurrentThreadCpuTime();
            service.handle(request.route(), request.toHttpRequest());
            cpuNanos = Math.min(cpuNanos, THREADS.getCurrentThreadCpuTime() - again);
        }

        statuses.merge(response.status(), 1, Integer::sum);
        if (cpuNanos > maxCpuNanos) {
            maxCpuNanos = cpuNanos;
            maxCpuKind = request.kind();
        }
        assertThat(response.status()).as("status (body %s)", response.body()).isLessThan(500);
        assertThat(Duration.ofNanos(cpuNanos)).as("CPU time of the request").isLessThanOrEqualTo(CPU_BUDGET);
    }

    private static void pause() {
        try {
            Thread.sleep(REMEASURE_PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
