package dev.huddle.perf.loadtest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.huddle.common.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code coldstart}: how long a fresh JVM with the ingest family's Lambda jar takes to answer its first ingest
 * request. Starts an own local stack, then per run starts {@code java -cp <ingest jar>:<probe>} ({@link ColdStartProbe}),
 * which constructs IngestHandler as Lambda does and hands it one progress batch; the time from process
 * start to that answer is the cold start (without Lambda's own runtime init and without SnapStart).
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
    @Option(names = "--lambda-jar", paramLabel = "FILE",
            description = "The handler jar (default: functions/target/huddle-functions-*-ingest.jar, the jar the API's functions deploy).")
    Path lambdaJar;

    @Option(names = "--runs", defaultValue = "5", description = "Fresh JVMs to start (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--jvm-option", paramLabel = "OPTION",
            description = "Passed to each JVM (repeatable), e.g. -XX:TieredStopAtLevel=1.")
    List<String> jvmOptions = new ArrayList<>();

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
        Path probeClasses = extractProbe();
        List<double[]> results = new ArrayList<>();
        try (LoadTarget stack = targets().ownStack(LoadTest.LOAD_TEST_CONCURRENCY, List.of(),
                probeClasses.resolve("stack.log"))) {
            for (int run = 1; run <= runs; run++) {
                results.add(measure(jar, probeClasses, stack.settings(), run));
            }
        }
        report(jar, results);
        return 0;
    }

    /** The emulated stack, started by local/. */
    protected abstract LoadTarget.Factory targets();

    /** {wall ms, construct ms, first request ms} of one fresh JVM. */
    private double[] measure(Path jar, Path probeClasses, Map<String, String> settings, int run)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", jar + java.io.File.pathSeparator + probeClasses,
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
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.startsWith(ColdStartProbe.RESULT_PREFIX)) {
                    result = line;
                    break;
                }
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
            double[] figures = {wallMillis, Double.parseDouble(parts[1]), Double.parseDouble(parts[2])};
            out.printf("run %d: fresh JVM to first response %.0f ms (handler constructed in %.0f ms, first request"
                    + " %.0f ms)%n", run, figures[0], figures[1], figures[2]);
            return figures;
        }
    }

    private void report(Path jar, List<double[]> results) throws IOException {
        long jarBytes = Files.size(jar);
        double wall = median(results, 0);
        double construct = median(results, 1);
        double first = median(results, 2);
        out.printf("median of %d: fresh JVM to first response %.0f ms, constructor %.0f ms, first request %.0f ms%n",
                results.size(), wall, construct, first);
        out.printf("handler jar %s: %,d bytes (%.1f MB)%n", jar.getFileName(), jarBytes, jarBytes / 1024.0 / 1024.0);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("runs", results.size());
        json.put("medianFirstResponseMs", Math.round(wall));
        json.put("medianConstructMs", Math.round(construct));
        json.put("medianFirstRequestMs", Math.round(first));
        json.put("jvmOptions", jvmOptions);
        json.put("handlerJarBytes", jarBytes);
        out.println(Json.mapper().writeValueAsString(json));
    }

    private static double median(List<double[]> results, int column) {
        double[] values = results.stream().mapToDouble(r -> r[column]).sorted().toArray();
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

    /** Copies the probe's class file out of this jar, so the probe JVM loads nothing else of the local stack. */
    private static Path extractProbe() throws IOException {
        Path directory = Files.createTempDirectory("huddle-coldstart-");
        directory.toFile().deleteOnExit();
        String resource = ColdStartProbe.class.getSimpleName() + ".class";
        Path target = directory.resolve(ColdStartProbe.class.getPackageName().replace('.', '/')).resolve(resource);
        Files.createDirectories(target.getParent());
        try (InputStream in = ColdStartProbe.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("probe class missing: " + resource);
            }
            Files.copy(in, target);
        }
        return directory;
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
