package dev.huddle.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.huddle.local.stack.StackEndpoints;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class RunningStackDefaultsTest {
    private static final StackEndpoints RUNNING = new StackEndpoints(1, "http://127.0.0.1:3000", Map.of(
            "DB_URL", "jdbc:postgresql://127.0.0.1:5555/huddle", "S3_ENDPOINT", "http://127.0.0.1:7777"));

    @Command(name = "probe")
    static final class Probe implements Runnable {
        @Option(names = "--jdbc-url", defaultValue = "${env:DB_URL:-jdbc:postgresql://127.0.0.1:5432/huddle}")
        String jdbcUrl;

        @Option(names = "--s3-endpoint", defaultValue = "${env:S3_ENDPOINT}")
        String s3Endpoint;

        @Option(names = "--days", defaultValue = "40")
        int days;

        @Option(names = "--existing-db", description = "like bench --jdbc-url: no default, so never the stack's")
        String existingDb;

        @Override
        public void run() {
        }
    }

    private static Probe parse(Map<String, String> environment, Optional<StackEndpoints> running, String... args) {
        Probe probe = new Probe();
        new CommandLine(probe)
                .setDefaultValueProvider(new RunningStackDefaults(environment, Path.of("unused"), dir -> running))
                .parseArgs(args);
        return probe;
    }

    @Test
    void optionsWhoseDefaultReadsAStackSetting_defaultToTheRunningStack() {
        Probe probe = parse(Map.of(), Optional.of(RUNNING));

        assertThat(probe.jdbcUrl).isEqualTo("jdbc:postgresql://127.0.0.1:5555/huddle");
        assertThat(probe.s3Endpoint).isEqualTo("http://127.0.0.1:7777");
        assertThat(probe.days).isEqualTo(40);
    }

    @Test
    void optionWithoutEnvironmentDefault_neverGetsTheRunningStacksValue() {
        Probe probe = parse(Map.of(), Optional.of(new StackEndpoints(1, "http://127.0.0.1:3000",
                Map.of("DB_URL", "jdbc:postgresql://127.0.0.1:5555/huddle"))));

        assertThat(probe.existingDb).isNull();
    }

    @Test
    void environmentVariable_winsOverTheRunningStack_andTheCommandLineWinsOverBoth() {
        Probe probe = parse(Map.of("DB_URL", "jdbc:postgresql://db:5432/huddle"), Optional.of(RUNNING),
                "--s3-endpoint", "http://s3.example");

        assertThat(probe.s3Endpoint).isEqualTo("http://s3.example");
        assertThat(probe.jdbcUrl).as("the annotation default reads $DB_URL").isNotEqualTo(RUNNING.settings().get("DB_URL"));
    }

    @Test
    void withoutRunningStack_theOptionsOwnDefaultApplies() {
        Probe probe = parse(Map.of(), Optional.empty());

        assertThat(probe.days).isEqualTo(40);
        assertThat(probe.s3Endpoint).isNull();
        assertThat(probe.jdbcUrl).endsWith("/huddle").doesNotContain("5555");
    }
}
