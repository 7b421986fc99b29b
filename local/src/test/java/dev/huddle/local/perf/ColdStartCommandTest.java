package dev.huddle.local.perf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.huddle.common.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The coldstart command end to end, one pair of fresh JVMs with Lambda's JVM options: the ingest jar of functions/
 * (built before this module), an own stack, the probe's answer.
 */
class ColdStartCommandTest {

    @Test
    void startsFreshJvmsWithLambdasOptions_andComparesTheWarmUp() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        int exit;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            exit = new CommandLine(new ColdStartCommand()).execute("--runs", "1", "--lambda-jvm", "--compare-warm-up");
        } finally {
            System.setOut(previous);
        }

        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(printed).isZero();
        List<String> lines = printed.lines().toList();
        JsonNode figures = Json.mapper().readTree(lines.get(lines.size() - 1));
        assertThat(figures.path("runs").asInt()).isEqualTo(1);
        assertThat(figures.path("lambdaJvm").asBoolean()).isTrue();
        assertThat(figures.path("jvmOptions").toString()).contains("-XX:+UseSerialGC", "-XX:MaxRAM=1024m");
        // The probe answered 200 (ProbeJvm refuses any other status) in both variants.
        assertThat(figures.path("medianFirstResponseMs").asLong()).isPositive()
                .isGreaterThanOrEqualTo(figures.path("medianConstructMs").asLong());
        assertThat(figures.path("warmUpOffMedianFirstResponseMs").asLong()).isPositive();
        assertThat(figures.path("warmUpOnToOffRatio").asDouble()).isPositive();
        assertThat(printed).contains("run 1 (warm-up off): fresh JVM to first response", "median of 1 with the warm-up off");
    }
}
