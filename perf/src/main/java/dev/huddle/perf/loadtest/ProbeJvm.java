package dev.huddle.perf.loadtest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.huddle.common.Json;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * One fresh JVM of {@link ColdStart}: {@code java <options> -cp <handler jar>:<probe jar> ColdStartProbe} with the
 * stack's settings, timed from process start to the probe's result line.
 */
final class ProbeJvm {
    /** Lines of the probe's output an error quotes. */
    private static final int OUTPUT_TAIL_LINES = 30;
    private final Path jar;
    private final Path probeJar;
    private final Map<String, String> settings;

    ProbeJvm(Path jar, Path probeJar, Map<String, String> settings) {
        this.jar = jar;
        this.probeJar = probeJar;
        this.settings = settings;
    }

    /**
     * One fresh JVM's figures. {@code fallbacks}: the causes of the rate limiter's fallback lines the probe printed
     * (its first DynamoDB call can outlast DYNAMODB_TIMEOUT_MS while the SDK's classes load, and then the limiter
     * answers locally and opens its breaker).
     */
    record Run(double wallMillis, double constructMillis, double firstRequestMillis, List<String> fallbacks) {
    }

    /** Starts the JVM with {@code options}, sends one progress batch unique to {@code run}, waits for the answer. */
    Run run(List<String> options, int run) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        command.addAll(List.of("-cp", jar + File.pathSeparator + probeJar,
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
        // The probe's last lines, for the error when it prints no result (a class missing from the jar, say).
        ArrayDeque<String> tail = new ArrayDeque<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.startsWith(ColdStartProbe.RESULT_PREFIX)) {
                    result = line;
                    break;
                }
                fallbackCause(line).ifPresent(fallbacks::add);
                if (tail.size() == OUTPUT_TAIL_LINES) {
                    tail.removeFirst();
                }
                tail.addLast(line);
            }
            double wallMillis = (System.nanoTime() - start) / 1e6;
            lines.transferTo(Writer.nullWriter());
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            if (result == null) {
                throw new IllegalStateException("the probe JVM printed no result (exit " + process.exitValue()
                        + "); its last lines:" + System.lineSeparator() + String.join(System.lineSeparator(), tail));
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
        return StackLogCounts.fallbackRecord(line).map(record -> record.path("cause").asText());
    }

    /**
     * Copies the probe's class file out of this jar into a jar of its own, so the probe JVM loads nothing else of
     * the local stack; a jar rather than a folder, because AppCDS archives no class path with a non-empty folder.
     */
    static Path writeProbeJar(Path directory) throws IOException {
        String resource = ColdStartProbe.class.getSimpleName() + ".class";
        Path probeJar = directory.resolve("coldstart-probe.jar");
        try (InputStream in = ColdStartProbe.class.getResourceAsStream(resource);
                JarOutputStream out = new JarOutputStream(Files.newOutputStream(probeJar))) {
            if (in == null) {
                throw new IllegalStateException("probe class missing: " + resource);
            }
            out.putNextEntry(new JarEntry(ColdStartProbe.class.getName().replace('.', '/') + ".class"));
            in.transferTo(out);
            out.closeEntry();
        }
        return probeJar;
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
}
