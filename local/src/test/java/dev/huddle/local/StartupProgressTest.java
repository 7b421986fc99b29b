package dev.huddle.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StartupProgressTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final StartupProgress progress = new StartupProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), 2);

    @Test
    void numbersStepsAndReportsTheirDuration() {
        String result = progress.step("PostgreSQL 17 (embedded)", () -> "value");
        progress.step("Schema", () -> null);

        assertThat(result).isEqualTo("value");
        assertThat(output().lines()).satisfiesExactly(
                line -> assertThat(line).matches("\\[1/2] PostgreSQL 17 \\(embedded\\) \\.\\.\\. ready in \\d+\\.\\d s"),
                line -> assertThat(line).startsWith("[2/2] Schema ... ready in "));
    }

    @Test
    void reportsFailedStep_andRethrowsItsError() {
        assertThatThrownBy(() -> progress.step("DynamoDB API", () -> {
            throw new IllegalStateException("dynalite not found");
        })).isInstanceOf(IllegalStateException.class).hasMessage("dynalite not found");

        assertThat(output()).isEqualTo("[1/2] DynamoDB API ... failed" + System.lineSeparator());
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
