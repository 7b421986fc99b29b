package dev.huddle.perf.retention;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.huddle.common.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A small end-to-end run of the retention benchmark: the real job retires the partition, figures print. */
class RetentionBenchCommandTest {

    @Test
    void aSmallRunExportsAndDropsThePartition_andEndsWithOneJsonLine() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int exit = new CommandLine(new RetentionBenchCommand(new PrintStream(out, true, StandardCharsets.UTF_8)))
                .execute("--rows", "3000");

        assertThat(exit).as(out.toString(StandardCharsets.UTF_8)).isZero();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        JsonNode figures = Json.mapper().readTree(lines.getLast());
        assertThat(figures.get("rows").asInt()).isEqualTo(3000);
        assertThat(figures.get("exportRowsPerSecond").asDouble()).isPositive();
        assertThat(figures.get("gzipBytes").asLong()).isPositive();
        assertThat(figures.get("detachDropMs").asDouble()).isPositive();
        assertThat(figures.get("deleteMs").asDouble()).isPositive();
    }

    @Test
    void refusesZeroRows() {
        assertThat(new CommandLine(new RetentionBenchCommand()).execute("--rows", "0")).isEqualTo(2);
    }
}
