package dev.huddle.perf.loadtest;

import dev.huddle.common.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code coldstart}: how long a fresh JVM with the ingest family's Lambda jar takes to answer its first ingest
 * request. Starts an own local stack, then per run starts {@code java -cp <ingest jar>:<probe>} ({@link ColdStartProbe}),
 * which constructs IngestHandler as Lambda does and hands it one progress batch; the time from process
 * start to that answer is the cold start (without Lambda's own runtime init and without SnapStart).
 * {@code --app-cds} measures the same with a dynamic AppCDS archive from a training run, and {@code --class-list}
 * writes the classes a cold start loads from the jar (the ingest priming list of SnapStart).
 * Abstract: the own stack comes from {@link #targets()}, supplied by the {@code coldstart} command in local/
 * (dev.huddle.local.perf.ColdStartCommand).
 */
@Command(name = "coldstart", mixinStandardHelpOptions = true,
        description = {
            "Measures the ingest handler's cold start: fresh JVM (the ingest Lambda jar on the classpath) to first response,"
                    + " against an own local stack; prints each run, the medians and the handler jar's size, and as"
                    + " the last line one JSON object.",
            ""})
public abstract class ColdStart implements Callable<Integer> {
    private static final String ARCHIVE = "ingest-app-cds.jsa";
    private static final String CLASS_LOAD_LOG = "class-load.log";

    @Option(names = "--lambda-jar", paramLabel = "FILE",
            description = "The handler jar (default: functions/target/huddle-functions-*-ingest.jar, the jar the API's functions deploy).")
    Path lambdaJar;

    @Option(names = "--runs", defaultValue = "5", description = "Fresh JVMs to start (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--jvm-option", paramLabel = "OPTION",
            description = "Passed to each JVM (repeatable), e.g. -XX:TieredStopAtLevel=1 (the default of Lambda's java21 runtime).")
    List<String> jvmOptions = new ArrayList<>();

    @Option(names = "--lambda-jvm",
            description = "Adds the options Lambda's Java runtime starts a function's JVM with, for the ingest"
                    + " function's 1,024 MB: -XX:+UseSerialGC -XX:TieredStopAtLevel=1, a heap of at most 85 %% of the"
                    + " memory, -XX:MaxRAM so the JVM sizes itself for that memory, IPv4 sockets. The CPU stays this"
                    + " machine's (a 1,024 MB function gets about 0.58 of a vCPU).")
    boolean lambdaJvm;

    @Option(names = "--app-cds",
            description = "First a training run (not counted) that dumps a dynamic AppCDS archive of the classes it loaded"
                    + " (-XX:ArchiveClassesAtExit), then every measured run maps it (-XX:SharedArchiveFile). The archive"
                    + " only fits the JDK that made it.")
    boolean appCds;

    @Option(names = "--class-list", paramLabel = "FILE",
            description = "After the runs, one more run logs its class loading and FILE gets the classes it loaded from"
                    + " the handler jar, in load order: the ingest priming list"
                    + " (functions/src/main/resources/dev/huddle/ingest/priming-classes.txt).")
    Path classList;

    @Option(names = "--compare-warm-up",
            description = "Each run is a pair of fresh JVMs, alternating: one with the handler's cold-start warm-up"
                    + " turned off (WARM_UP_AT_INIT=false: collaborators built one after the other, nothing called"
                    + " before the first request), one as deployed; prints both medians and their ratio.")
    boolean compareWarmUp;

    /** The run numbers of the warm-up-off probes start here, so every probe's events are new to the stack. */
    private static final int WARM_UP_OFF_RUNS = 1_000;

    private final PrintStream out;

    protected ColdStart(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        if (runs < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--runs must be at least 1");
        }
        Path jar = lambdaJar != null ? lambdaJar : findLambdaJar();
        Path work = Files.createTempDirectory("huddle-coldstart-");
        Path probeJar = ProbeJvm.writeProbeJar(work);
        double loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        out.printf("load average at start: %.2f%n", loadAtStart);
        List<ProbeJvm.Run> results = new ArrayList<>();
        List<ProbeJvm.Run> warmUpOffResults = new ArrayList<>();
        if (lambdaJvm) {
            jvmOptions.addAll(0, LambdaJvmOptions.forMemory(LambdaJvmOptions.INGEST_MEMORY_MB));
        }
        List<String> options = new ArrayList<>(jvmOptions);
        try (LoadTarget stack = targets().ownStack(LoadTest.LOAD_TEST_CONCURRENCY, List.of(),
                work.resolve("stack.log"))) {
            ProbeJvm probe = new ProbeJvm(jar, probeJar, stack.settings());
            if (appCds) {
                options.add("-XX:SharedArchiveFile=" + trainArchive(probe, work));
            }
            ProbeJvm warmUpOff = compareWarmUp ? new ProbeJvm(jar, probeJar, withWarmUpOff(stack.settings())) : null;
            for (int run = 1; run <= runs; run++) {
                if (warmUpOff != null) {
                    warmUpOffResults.add(print(run, " (warm-up off)", warmUpOff.run(options, WARM_UP_OFF_RUNS + run)));
                }
                results.add(print(run, "", probe.run(options, run)));
            }
            if (classList != null) {
                // Without the archive (jvmOptions, not options): a class mapped from it is logged as coming from
                // the archive, not the jar.
                writeClassList(probe, jar, work);
            }
        } finally {
            // The archive (25 MB) and the class-loading log; the stack's log stays for a failed run's diagnosis.
            Files.deleteIfExists(work.resolve(ARCHIVE));
            Files.deleteIfExists(work.resolve(CLASS_LOAD_LOG));
        }
        report(jar, results, warmUpOffResults, loadAtStart);
        return 0;
    }

    private ProbeJvm.Run print(int run, String variant, ProbeJvm.Run result) {
        out.printf("run %d%s: fresh JVM to first response %.0f ms (handler constructed in %.0f ms, first request"
                + " %.0f ms)%s%n", run, variant, result.wallMillis(), result.constructMillis(), result.firstRequestMillis(),
                result.fallbacks().isEmpty() ? "" : "; the rate limiter fell back: " + result.fallbacks());
        return result;
    }

    private static Map<String, String> withWarmUpOff(Map<String, String> settings) {
        Map<String, String> off = new LinkedHashMap<>(settings);
        off.put("WARM_UP_AT_INIT", "false");
        return off;
    }

    /** The emulated stack, started by local/. */
    protected abstract LoadTarget.Factory targets();

    /** The training run of {@code --app-cds}: the archive holds what one cold start loads. */
    private Path trainArchive(ProbeJvm probe, Path work) throws IOException, InterruptedException {
        Path archive = work.resolve(ARCHIVE);
        List<String> training = new ArrayList<>(jvmOptions);
        training.add("-XX:ArchiveClassesAtExit=" + archive);
        probe.run(training, 0);
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException("the training run wrote no AppCDS archive " + archive);
        }
        out.printf("AppCDS archive from a training run: %,d bytes%n", Files.size(archive));
        return archive;
    }

    /**
     * One more run with class loading logged; the classes that came from the handler jar, in the order they were
     * loaded, minus the probe and hidden classes (lambdas), which no class loader can look up by name.
     */
    private void writeClassList(ProbeJvm probe, Path jar, Path work) throws IOException, InterruptedException {
        Path log = work.resolve(CLASS_LOAD_LOG);
        List<String> logged = new ArrayList<>(jvmOptions);
        logged.add("-Xlog:class+load=info:file=" + log + ":none");
        probe.run(logged, runs + 1);
        String fromJar = " source: file:" + jar.toAbsolutePath();
        List<String> classes;
        try (Stream<String> lines = Files.lines(log)) {
            classes = lines.filter(line -> line.endsWith(fromJar))
                    .map(line -> line.substring(0, line.indexOf(' ')))
                    .filter(name -> !name.contains("$$Lambda") && !name.equals(ColdStartProbe.class.getName()))
                    .distinct()
                    .toList();
        }
        if (classes.isEmpty()) {
            throw new IllegalStateException("no class of " + jar + " in the class-loading log " + log);
        }
        Files.createDirectories(classList.toAbsolutePath().getParent());
        Files.write(classList, classes, StandardCharsets.UTF_8);
        out.printf("class list %s: %,d classes of %s%n", classList, classes.size(), jar.getFileName());
    }

    private void report(Path jar, List<ProbeJvm.Run> results, List<ProbeJvm.Run> warmUpOffResults, double loadAtStart)
            throws IOException {
        long jarBytes = Files.size(jar);
        double wall = median(results, ProbeJvm.Run::wallMillis);
        double construct = median(results, ProbeJvm.Run::constructMillis);
        double first = median(results, ProbeJvm.Run::firstRequestMillis);
        long withFallback = results.stream().filter(r -> !r.fallbacks().isEmpty()).count();
        out.printf("median of %d: fresh JVM to first response %.0f ms, constructor %.0f ms, first request %.0f ms%n",
                results.size(), wall, construct, first);
        double wallWarmUpOff = warmUpOffResults.isEmpty() ? Double.NaN : median(warmUpOffResults, ProbeJvm.Run::wallMillis);
        if (!warmUpOffResults.isEmpty()) {
            out.printf("median of %d with the warm-up off: fresh JVM to first response %.0f ms, constructor %.0f ms,"
                    + " first request %.0f ms%n", warmUpOffResults.size(), wallWarmUpOff,
                    median(warmUpOffResults, ProbeJvm.Run::constructMillis),
                    median(warmUpOffResults, ProbeJvm.Run::firstRequestMillis));
            out.printf("fresh JVM to first response, warm-up on / off: %.2f%n", wall / wallWarmUpOff);
        }
        out.printf("handler jar %s: %,d bytes (%.1f MB)%n", jar.getFileName(), jarBytes, jarBytes / 1024.0 / 1024.0);
        out.printf("runs whose rate limiter fell back (its first DynamoDB call failed or outlasted its budget): %d of %d%n",
                withFallback, results.size());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("runs", results.size());
        json.put("medianFirstResponseMs", Math.round(wall));
        json.put("medianConstructMs", Math.round(construct));
        json.put("medianFirstRequestMs", Math.round(first));
        json.put("jvmOptions", jvmOptions);
        json.put("lambdaJvm", lambdaJvm);
        json.put("appCds", appCds);
        json.put("runsWithRateLimiterFallback", withFallback);
        json.put("loadAverageAtStart", Math.round(loadAtStart * 100) / 100.0);
        json.put("handlerJarBytes", jarBytes);
        if (!warmUpOffResults.isEmpty()) {
            json.put("warmUpOffMedianFirstResponseMs", Math.round(wallWarmUpOff));
            json.put("warmUpOnToOffRatio", Math.round(wall / wallWarmUpOff * 100) / 100.0);
        }
        out.println(Json.mapper().writeValueAsString(json));
    }

    private static double median(List<ProbeJvm.Run> results, ToDoubleFunction<ProbeJvm.Run> column) {
        double[] values = results.stream().mapToDouble(column).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    private static Path findLambdaJar() throws IOException {
        for (Path base = Path.of("").toAbsolutePath(); base != null; base = base.getParent()) {
            Path target = base.resolve("functions").resolve("target");
            if (Files.isDirectory(target)) {
                try (Stream<Path> files = Files.list(target)) {
                    List<Path> jars = files.filter(f -> f.getFileName().toString().matches("huddle-functions-.*-ingest\\.jar"))
                            .toList();
                    if (!jars.isEmpty()) {
                        return jars.get(0);
                    }
                }
            }
        }
        throw new IllegalStateException("no functions/target/huddle-functions-*-ingest.jar found from "
                + Path.of("").toAbsolutePath() + ": build it (./mvnw -pl functions package) or pass --lambda-jar");
    }
}
