package dev.huddle.perf.rollupbench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.huddle.common.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A small end-to-end run of the rollup benchmark: every figure is printed, the last line is JSON. */
class RollupBenchCommandTest {

    @Test
    void aSmallRunPrintsEveryFigure_andEndsWithOneJsonLine() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RollupBenchCommand command = new RollupBenchCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        int exit = new CommandLine(command).execute("--events", "2000", "--job-events", "500", "--small-rows", "2000",
                "--large-rows", "6000", "--repeat", "1");

        assertThat(exit).isZero();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        JsonNode figures = Json.mapper().readTree(lines.getLast());
        assertThat(figures.fieldNames()).toIterable().containsExactly("oneOrgEps", "tenOrgsEps", "jobMsSmall",
                "jobMsLarge", "largeVsSmall", "fanOutSendP50Ms", "fanOutSendP99Ms", "fanOutFailures");
        assertThat(figures.get("oneOrgEps").asDouble()).isPositive();
        assertThat(figures.get("jobMsLarge").asDouble()).isPositive();
        assertThat(figures.get("fanOutFailures").asLong()).isZero();
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("ratio large/small"));
    }

    @Test
    void refusesALargeTableNoLargerThanTheSmallOne() {
        int exit = new CommandLine(new RollupBenchCommand()).execute("--small-rows", "100", "--large-rows", "100");

        assertThat(exit).isEqualTo(2);
    }
}
