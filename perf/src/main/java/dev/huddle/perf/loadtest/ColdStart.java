package dev.huddle.perf.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.huddle.common.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
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
    /** The event name of the rate limiter's fallback record (dev.huddle.ratelimit.FallbackRecorder). */
    private static final String FALLBACK_EVENT = "RateLimiterFallback";
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
        Path probeJar = writeProbeJar(work);
        double loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        out.printf("load average at start: %.2f%n", loadAtStart);
        List<Run> results = new ArrayList<>();
        List<String> options = new ArrayList<>(jvmOptions);
        try (LoadTarget stack = targets().ownStack(LoadTest.LOAD_TEST_CONCURRENCY, List.of(),
                work.resolve("stack.log"))) {
            if (appCds) {
                options.add("-XX:SharedArchiveFile=" + trainArchive(jar, probeJar, work, stack.settings()));
            }
            for (int run = 1; run <= runs; run++) {
                Run result = measure(jar, probeJar, options, stack.settings(), run);
                out.printf("run %d: fresh JVM to first response %.0f ms (handler constructed in %.0f ms, first request"
                        + " %.0f ms)%s%n", run, result.wallMillis(), result.constructMillis(), result.firstRequestMillis(),
                        result.fallbacks().isEmpty() ? "" : "; the rate limiter fell back: " + result.fallbacks());
                results.add(result);
            }
            if (classList != null) {
                // Without the archive: a class mapped from it is logged as coming from the archive, not the jar.
                writeClassList(jar, probeJar, jvmOptions, work, stack.settings());
            }
        } finally {
            // The archive (25 MB) and the class-loading log; the stack's log stays for a failed run's diagnosis.
            Files.deleteIfExists(work.resolve(ARCHIVE));
            Files.deleteIfExists(work.resolve(CLASS_LOAD_LOG));
        }
        report(jar, results, loadAtStart);
        return 0;
    }

    /** The emulated stack, started by local/. */
    protected abstract LoadTarget.Factory targets();

    /**
     * One fresh JVM. {@code fallbacks}: the causes of the rate limiter's fallback lines the probe printed (its
     * first DynamoDB call can outlast DYNAMODB_TIMEOUT_MS while the SDK's classes load, and then the limiter
     * answers locally and opens its breaker).
     */
    record Run(double wallMillis, double constructMillis, double firstRequestMillis, List<String> fallbacks) {
    }

    private Run measure(Path jar, Path probeJar, List<String> options, Map<String, String> settings, int run)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        command.addAll(List.of("-cp", jar + java.io.File.pathSeparator + probeJar,
                ColdStartProbe.class.getName(), "learner-0001", body(run)));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(settings);
        // The SDK wants credentials even for dynalite and ElasticMQ, which accept any.
        builder.environment().putIfAbsent("AWS_ACCESS_KEY_ID", "local");
        builder.environment().putIfAbsent("AWS_SECRET_ACCESS_KEY", "local");
        builder.environment().putIfAbsent("AWS_REGION", "us-east-1");
        long start = System.nanoTime();
        Process process = builder.start();
        String result = null;
        List<String> fallbacks = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.startsWith(ColdStartProbe.RESULT_PREFIX)) {
                    result = line;
                    break;
                }
                fallbackCause(line).ifPresent(fallbacks::add);
            }
            double wallMillis = (System.nanoTime() - start) / 1e6;
            lines.transferTo(java.io.Writer.nullWriter());
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            if (result == null) {
                throw new IllegalStateException("the probe JVM printed no result (exit " + process.exitValue() + ")");
            }
            String[] parts = result.substring(ColdStartProbe.RESULT_PREFIX.length()).split(" ");
            if (!parts[0].equals("200")) {
                throw new IllegalStateException("the first request was answered " + parts[0] + ", not 200");
            }
            return new Run(wallMillis, Double.parseDouble(parts[1]), Double.parseDouble(parts[2]), fallbacks);
        }
    }

    /** The cause of a rate limiter fallback line (FallbackRecorder's EMF record), if the line is one. */
    static Optional<String> fallbackCause(String line) {
        if (!line.startsWith("{") || !line.contains(FALLBACK_EVENT)) {
            return Optional.empty();
        }
        try {
            JsonNode record = Json.mapper().readTree(line);
            return FALLBACK_EVENT.equals(record.path("event").asText())
                    ? Optional.of(record.path("cause").asText())
                    : Optional.empty();
        } catch (IOException notJson) {
            return Optional.empty();
        }
    }

    /** The training run of {@code --app-cds}: the archive holds what one cold start loads. */
    private Path trainArchive(Path jar, Path probeJar, Path work, Map<String, String> settings)
            throws IOException, InterruptedException {
        Path archive = work.resolve(ARCHIVE);
        List<String> training = new ArrayList<>(jvmOptions);
        training.add("-XX:ArchiveClassesAtExit=" + archive);
        measure(jar, probeJar, training, settings, 0);
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
    private void writeClassList(Path jar, Path probeJar, List<String> options, Path work, Map<String, String> settings)
            throws IOException, InterruptedException {
        Path log = work.resolve(CLASS_LOAD_LOG);
        List<String> logged = new ArrayList<>(options);
        logged.add("-Xlog:class+load=info:file=" + log + ":none");
        measure(jar, probeJar, logged, settings, runs + 1);
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

    private void report(Path jar, List<Run> results, double loadAtStart) throws IOException {
        long jarBytes = Files.size(jar);
        double wall = median(results, Run::wallMillis);
        double construct = median(results, Run::constructMillis);
        double first = median(results, Run::firstRequestMillis);
        long withFallback = results.stream().filter(r -> !r.fallbacks().isEmpty()).count();
        out.printf("median of %d: fresh JVM to first response %.0f ms, constructor %.0f ms, first request %.0f ms%n",
                results.size(), wall, construct, first);
        out.printf("handler jar %s: %,d bytes (%.1f MB)%n", jar.getFileName(), jarBytes, jarBytes / 1024.0 / 1024.0);
        out.printf("runs whose rate limiter fell back (its first DynamoDB call failed or outlasted its budget): %d of %d%n",
                withFallback, results.size());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("runs", results.size());
        json.put("medianFirstResponseMs", Math.round(wall));
        json.put("medianConstructMs", Math.round(construct));
        json.put("medianFirstRequestMs", Math.round(first));
        json.put("jvmOptions", jvmOptions);
        json.put("appCds", appCds);
        json.put("runsWithRateLimiterFallback", withFallback);
        json.put("loadAverageAtStart", Math.round(loadAtStart * 100) / 100.0);
        json.put("handlerJarBytes", jarBytes);
        out.println(Json.mapper().writeValueAsString(json));
    }

    private static double median(List<Run> results, ToDoubleFunction<Run> column) {
        double[] values = results.stream().mapToDouble(column).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    /** One progress event with an id unique to this run, so every run writes (no duplicate short cut). */
    private static String body(int run) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.putArray("events").addObject()
                .put("eventId", "coldstart-" + Instant.now().toEpochMilli() + "-" + run)
                .put("type", "lesson_progress")
                .put("courseId", "course-101")
                .put("lessonId", "course-101-lesson-01")
                .put("progressPercent", 10)
                .put("timeSpentSeconds", 30)
                .put("occurredAt", Instant.now().toString());
        return body.toString();
    }

    /**
     * Copies the probe's class file out of this jar into a jar of its own, so the probe JVM loads nothing else of
     * the local stack; a jar rather than a folder, because AppCDS archives no class path with a non-empty folder.
     */
    private static Path writeProbeJar(Path directory) throws IOException {
        String resource = ColdStartProbe.class.getSimpleName() + ".class";
        Path probeJar = directory.resolve("coldstart-probe.jar");
        try (InputStream in = ColdStartProbe.class.getResourceAsStream(resource);
                JarOutputStream jar = new JarOutputStream(Files.newOutputStream(probeJar))) {
            if (in == null) {
                throw new IllegalStateException("probe class missing: " + resource);
            }
            jar.putNextEntry(new JarEntry(ColdStartProbe.class.getName().replace('.', '/') + ".class"));
            in.transferTo(jar);
            jar.closeEntry();
        }
        return probeJar;
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
