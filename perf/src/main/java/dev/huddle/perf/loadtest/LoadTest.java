package dev.huddle.perf.loadtest;

import dev.huddle.perf.options.DurationConverter;
import dev.huddle.sql.DemoData;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code loadtest}: the seed's load test against the local stack, open model, with a no-loss
 * reconciliation. Progress goes to stderr; the figures, the reconciliation, the report's path and, as the
 * last line, one JSON object go to stdout.
 *
 * <p>Abstract: the stack it runs against comes from {@link #targets()}, which the {@code loadtest} command in
 * local/ (dev.huddle.local.perf.LoadTestCommand) supplies together with the options that find a running stack
 * (--state-dir, --jdbc-url, ...). Picocli reads the options of this class and of that subclass as one command.
 *
 * <p>Over 300 lines: most of it is the command's options with their help texts and their validation, which
 * read best next to each other; the engine is in LoadRunner, OpenModelDriver and ClientsDriver.
 */
@Command(name = "loadtest", mixinStandardHelpOptions = true,
        description = {
            "Load test: N demo learners each flush progress and analytics (two batch requests) about every 10 s,"
                    + " open model (requests leave at planned times whatever the server does; latency counted from"
                    + " the planned time, HdrHistogram). 429/503 are retried after Retry-After with the same events.",
            "Prints progress, throughput, p50/p95/p99/max, status counts and the reconciliation (events generated ="
                    + " accepted + duplicates + rejected; rows in the database = accepted), writes an HTML report,"
                    + " and ends with one JSON line.",
            "Starts its own local stack as a child process (temporary state directory, free ports) unless --target"
                    + " is given; then tokens are signed with the key in --state-dir and rows are counted in the"
                    + " database of the stack running there (--jdbc-url overrides; DB_URL when none runs there).",
            "Keeps apart: admitted (200), shed (503/429), retried and delivered, joined a waiting retry, not"
                    + " delivered at the end, dropped by the generator (its --max-in-flight cap), and lost (accepted"
                    + " but not in the database).",
            ""})
public abstract class LoadTest implements Callable<Integer> {
    /**
     * Execution environments per function of an own stack, as a reserved concurrency would cap them. Not
     * the stack's default of 8: with 8, the two-core machine this was measured on admitted the least (598
     * requests a second at {@code --rate 1500}). Not 32: with 32 database sessions on two cores the calls
     * wait on each other (PostgreSQL's lock manager, buffer locks), and 16 admitted more under overload
     * (700-749 a second against 602-680) with half the admitted requests' p99 (docs/PERFORMANCE.md,
     * "Where the knee's CPU goes").
     */
    public static final int LOAD_TEST_CONCURRENCY = 16;
    private static final int REQUESTS_PER_FLUSH = LoadRoute.values().length;
    private static final Duration SEED_FLUSH_PERIOD = Duration.ofSeconds(10);

    @Spec
    CommandSpec spec;

    @Option(names = "--learners", defaultValue = "5000", paramLabel = "N",
            description = "Learners, 1..5000 of the demo data (default: ${DEFAULT-VALUE}).")
    int learners;

    @Option(names = "--duration", defaultValue = "60s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "How long requests are sent (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--rate", paramLabel = "R",
            description = "Requests per second of all learners together (default: learners x 2 / 10 s, e.g. 1000"
                    + " for 5000 learners); sets each learner's flush period.")
    Double rate;

    @Option(names = "--events-per-request", defaultValue = "5", paramLabel = "N",
            description = "Events in each batch request, 1..100 (default: ${DEFAULT-VALUE}).")
    int eventsPerRequest;

    @Option(names = "--target", paramLabel = "URL",
            description = "A running stack's API (e.g. http://127.0.0.1:3000) instead of an own one.")
    URI target;

    @Option(names = "--concurrency", paramLabel = "N",
            description = "Own stack: execution environments of each function (default: " + LOAD_TEST_CONCURRENCY
                    + "; `run` has 8).")
    Integer concurrency;

    @Option(names = "--db-latency", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Own stack: adds this latency to every database round trip (TCP proxy in front of"
                    + " PostgreSQL). X-Client-Queue-Lag appears once the DB latency average passes"
                    + " DB_LATENCY_SLO_MS (environment, default 500).")
    Duration dbLatency;

    @Option(names = "--db-outage-at", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Own stack: at this moment of the run the database becomes unreachable (the proxy resets"
                    + " every connection and refuses new ones) ...")
    Duration outageAt;

    @Option(names = "--db-outage-for", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "... for this long (default 30s when --db-outage-at is given).")
    Duration outageFor;

    @Option(names = {"--find-max", "--step"},
            description = "Steps the rate up (from --rate, default 100/s, times --step-factor) until p95 exceeds"
                    + " --p95-limit or requests go undelivered; reports the highest rate that held.")
    boolean findMax;

    @Option(names = "--step-duration", defaultValue = "20s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Length of each step (default: ${DEFAULT-VALUE}).")
    Duration stepDuration;

    @Option(names = "--step-factor", defaultValue = "1.25", paramLabel = "F",
            description = "Rate multiplier between steps (default: ${DEFAULT-VALUE}).")
    double stepFactor;

    @Option(names = "--max-rate", defaultValue = "20000", paramLabel = "R",
            description = "Step mode stops here (default: ${DEFAULT-VALUE}).")
    double maxRate;

    @Option(names = "--p95-limit", defaultValue = "250ms", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Step mode: the p95 a step must hold (default: ${DEFAULT-VALUE}).")
    Duration p95Limit;

    @Option(names = "--clients", paramLabel = "K",
            description = "Instead of the open-model generator: K learners each run the real HuddleClient (durable"
                    + " queue, adaptive interval) and track a progress and an analytics event every --track-every;"
                    + " prints the clients' intervals and backlog, then drains them and reconciles.")
    Integer clients;

    @Option(names = "--track-every", defaultValue = "1s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "--clients: how often each client tracks its two events (default: ${DEFAULT-VALUE}).")
    Duration trackEvery;

    @Option(names = "--report", paramLabel = "FILE",
            description = "HTML report file (default: target/loadtest/report-<time>.html).")
    Path report;

    /**
     * 60 s, not the 20 s it was: after 20 s the own stack's JIT compiler threads still took 0.20-0.23 cores
     * through the measured minute, after 60 s 0.12 (docs/PERFORMANCE.md, "The run's first second").
     */
    @Option(names = "--warm-up", defaultValue = "60s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "First sends the scenario this long, the rate ramping up in four parts, without counting it"
                    + " (JIT, function environments, connections, the learners' backoffs), and runs on into the"
                    + " measured run without a pause; 0s to measure from cold (default: ${DEFAULT-VALUE}).")
    Duration warmUp;

    @Option(names = "--max-in-flight", defaultValue = "" + OpenModelDriver.DEFAULT_MAX_IN_FLIGHT, paramLabel = "N",
            description = "The most requests in flight, and so connections (like k6's maxVUs); a planned request that"
                    + " finds none free, or is over 200 ms late, is dropped by the generator, never sent and never"
                    + " counted as lost (default: ${DEFAULT-VALUE}).")
    int maxInFlight;

    @Option(names = "--seed", defaultValue = "20261128", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    private final PrintStream out;
    private final PrintStream progress;

    protected LoadTest(PrintStream out, PrintStream progress) {
        this.out = out;
        this.progress = progress;
    }

    @Override
    public Integer call() throws Exception {
        validate();
        if (outageAt != null && outageFor == null) {
            outageFor = Duration.ofSeconds(30);
        }
        double firstRate = rate != null ? rate : findMax ? 100 : learners * (double) REQUESTS_PER_FLUSH
                / SEED_FLUSH_PERIOD.toSeconds();
        String runId = "lt-" + Long.toString(System.currentTimeMillis(), 36) + "-";
        Path reportFile = report != null ? report : Path.of("target", "loadtest",
                "report-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".html");

        Path functionLog = Path.of(reportFile.toString().replaceFirst("\\.html$", "") + ".functions.log");
        progress.println(target == null ? "Starting an own local stack (embedded PostgreSQL, dynalite, ElasticMQ,"
                + " S3Proxy, functions)..." : "Load testing " + target);
        LoadResult result;
        long measuredFrom = 0;
        long measuredTo = 0;
        ProcessCpu.Usage cpuUsage = null;
        try (LoadTarget stack = openTarget(functionLog)) {
            if (clients != null) {
                return runClients(stack, runId);
            }
            progress.printf("Target %s%nSigning %,d learner tokens...%n", stack.describe(), learners);
            Duration longestRun = findMax ? stepDuration.multipliedBy(64) : duration;
            LearnerTokens tokens = LearnerTokens.issue(stack.tokens(), learners,
                    longestRun.plus(Duration.ofMinutes(30)));
            keepPooledConnectionsWithinTheFrontsLimits();
            ExecutorService answers = Executors.newFixedThreadPool(4, runnable ->
                    Thread.ofPlatform().daemon().name("loadtest-http").unstarted(runnable));
            try {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5)).executor(answers).build();
                OpenModelDriver driver = new OpenModelDriver(http, stack.baseUrl(), tokens, maxInFlight, progress);
                LoadRunner runner = new LoadRunner(driver, learners, eventsPerRequest, seed, runId, warmUp, progress);
                ProcessCpu cpu = new ProcessCpu(stack.processesByRole());
                // Taken when the measured run starts, on the driver's timer thread (the warm-up runs into it).
                AtomicReference<Optional<ProcessCpu.Snapshot>> cpuBefore = new AtomicReference<>(Optional.empty());
                AtomicLong measuredStart = new AtomicLong();
                Runnable measuredStarts = () -> {
                    measuredStart.set(System.currentTimeMillis());
                    cpuBefore.set(cpu.snapshot());
                };
                result = findMax
                        ? runner.findMax(firstRate, stepDuration, stepFactor, maxRate, p95Limit, measuredStarts)
                        : runner.single(firstRate, duration, outageActions(stack), drainTimeout(), measuredStarts);
                measuredFrom = measuredStart.get();
                measuredTo = System.currentTimeMillis();
                cpuUsage = cpuBefore.get()
                        .flatMap(before -> cpu.snapshot().map(after -> ProcessCpu.between(before, after)))
                        .orElse(null);
                result = result.withHealthAfterRun(HealthProbe.millis(http, stack.baseUrl()));
            } finally {
                answers.shutdownNow();
            }
            long rows = Reconciliation.countRows(stack.database(), runId);
            result = result.reconciled(rows, Reconciliation.countRows(stack.database(), result.undeliveredEventIds()));
        }
        // The own stack's log is complete once it stopped; a running stack's log is not ours to read.
        result = result.withCosts(new LoadResult.Costs(cpuUsage,
                target == null ? StackLogCounts.read(functionLog, measuredFrom, measuredTo) : null));
        // After the stack stopped, so its shutdown messages cannot come after the JSON line.
        result.print(out, reportFile, maxInFlight);
        // Not delivered (still refused when the drain ended) and dropped are reported, not failures: under
        // overload the stack sheds by design. Only an accepted event missing from the database is.
        return result.reconciliation().lost() == 0 ? 0 : 1;
    }

    /** {@code --clients}: the real client library against the target, then the reconciliation. */
    private int runClients(LoadTarget stack, String runId) throws Exception {
        LearnerTokens tokens = LearnerTokens.issue(stack.tokens(), clients, duration.plus(Duration.ofMinutes(30)));
        ClientsDriver.Result result = new ClientsDriver(stack, tokens, progress)
                .run(clients, duration, trackEvery, runId, outageActions(stack), drainTimeout());
        out.printf("""
                Clients: %d HuddleClient instances for %d s
                  interval ms (median over clients)  first %d, peak %d, last %d; the slowest client's peak %d
                  events tracked       %,12d
                  refused (queue full) %,12d
                  rejected by server   %,12d
                  rows in database     %,12d
                  lost                 %,12d   %s
                """, result.clients(), duration.toSeconds(), result.firstMedianIntervalMs(),
                result.peakMedianIntervalMs(), result.lastMedianIntervalMs(), result.peakMaxIntervalMs(),
                result.tracked(), result.refusedByFullQueue(), result.rejected(), result.rowsInDatabase(), result.lost(),
                result.allDrained() ? "(every client drained before closing)" : "(NOT every client drained in time)");
        out.println(dev.huddle.common.Json.mapper().writeValueAsString(result));
        return result.lost() == 0 && result.refusedByFullQueue() == 0 && result.allDrained() ? 0 : 1;
    }

    /**
     * The JDK's HttpServer (the stack's front) closes idle connections after 30 s, and beyond 200 unless
     * told otherwise (the front raises it to its connection cap since issue 9; a stack of an older build may
     * not); a client pool holding more, or longer, reuses connections the server has just closed and its
     * POSTs fail without an answer. The JDK HttpClient reads these limits once, when its class is first used.
     */
    private static void keepPooledConnectionsWithinTheFrontsLimits() {
        if (System.getProperty("jdk.httpclient.connectionPoolSize") == null) {
            System.setProperty("jdk.httpclient.connectionPoolSize", "150");
        }
        if (System.getProperty("jdk.httpclient.keepalive.timeout") == null) {
            System.setProperty("jdk.httpclient.keepalive.timeout", "20");
        }
    }

    private void validate() {
        List<String> problems = new ArrayList<>();
        if (learners < 1 || learners > DemoData.LEARNERS) {
            problems.add("--learners must be within 1.." + DemoData.LEARNERS);
        }
        if (duration.isNegative() || duration.isZero() || stepDuration.isNegative() || stepDuration.isZero()) {
            problems.add("--duration and --step-duration must be positive");
        }
        if (warmUp.isNegative()) {
            problems.add("--warm-up must not be negative");
        }
        if (rate != null && !(rate > 0)) {
            problems.add("--rate must be positive");
        }
        if (eventsPerRequest < 1 || eventsPerRequest > 100) {
            problems.add("--events-per-request must be within 1..100");
        }
        if (findMax && !(stepFactor > 1)) {
            problems.add("--step-factor must be above 1");
        }
        if (target != null && (dbLatency != null || outageAt != null || concurrency != null)) {
            problems.add("--db-latency, --db-outage-at and --concurrency change an own stack: start the target"
                    + " with `run --db-latency ...` instead, or leave out --target");
        }
        if (outageFor != null && outageAt == null) {
            problems.add("--db-outage-for needs --db-outage-at");
        }
        if (findMax && outageAt != null) {
            problems.add("--db-outage-at does not combine with --find-max");
        }
        if (clients != null && (clients < 1 || clients > DemoData.LEARNERS || findMax)) {
            problems.add("--clients must be within 1.." + DemoData.LEARNERS + " and does not combine with --find-max");
        }
        if (maxInFlight < 1 || maxInFlight > 10_000) {
            problems.add("--max-in-flight must be within 1..10000");
        }
        if (!trackEvery.isPositive()) {
            problems.add("--track-every must be positive");
        }
        if (!problems.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), String.join("; ", problems));
        }
    }

    /** The emulated stack's targets (own or running), read after picocli has set the options. */
    protected abstract LoadTarget.Factory targets();

    private LoadTarget openTarget(Path functionLog) {
        if (target != null) {
            return targets().running(target);
        }
        // Outages need the proxy in the path even without latency.
        Duration proxyLatency = dbLatency != null ? dbLatency : outageAt != null ? Duration.ZERO : null;
        List<String> runOptions = proxyLatency == null ? List.of()
                : List.of("--db-latency", proxyLatency.toMillis() + "ms");
        LoadTarget stack = targets().ownStack(concurrency != null ? concurrency : LOAD_TEST_CONCURRENCY,
                runOptions, functionLog);
        progress.println("The stack runs in its own JVM; its output (one line per request) goes to "
                + functionLog.toAbsolutePath());
        return stack;
    }

    private List<TimedAction> outageActions(LoadTarget stack) {
        if (outageAt == null) {
            return List.of();
        }
        var outage = stack.outage().orElseThrow();
        return List.of(
                new TimedAction(outageAt, "database outage starts (proxy resets and refuses connections)",
                        outage::start),
                new TimedAction(outageAt.plus(outageFor), "database outage ends", outage::end));
    }

    /** Answers and retries still outstanding when sending stops get this long. */
    private Duration drainTimeout() {
        Duration base = OpenModelDriver.REQUEST_TIMEOUT.plusSeconds(30);
        return outageAt == null ? base : base.plus(outageFor);
    }
}
