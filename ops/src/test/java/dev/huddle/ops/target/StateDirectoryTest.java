package dev.huddle.ops.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDirectoryTest {
    @TempDir
    Path directory;

    private void runningStackWith(Map<String, String> settings) {
        new StackEndpoints(ProcessHandle.current().pid(), "http://127.0.0.1:3000", settings).write(directory);
    }

    @Test
    void settings_takeTheOptionsFirst_thenTheStackRunningInTheDirectory_thenTheEnvironment() {
        runningStackWith(Map.of("DB_URL", "jdbc:postgresql://127.0.0.1:5555/huddle", "SQS_ENDPOINT", "http://stack"));
        Map<String, String> overrides = new HashMap<>();
        overrides.put("SQS_ENDPOINT", "http://option");
        overrides.put("S3_ENDPOINT", null);

        Map<String, String> settings = StateDirectory.of(directory).stackSettings(
                Map.of("DB_URL", "jdbc:postgresql://127.0.0.1:5432/huddle", "S3_ENDPOINT", "http://env"),
                overrides, List.of("DB_URL", "SQS_ENDPOINT", "S3_ENDPOINT"));

        assertThat(settings).containsEntry("DB_URL", "jdbc:postgresql://127.0.0.1:5555/huddle")
                .containsEntry("SQS_ENDPOINT", "http://option")
                .containsEntry("S3_ENDPOINT", "http://env");
    }

    @Test
    void withoutRunningStackOrEnvironment_failsNamingTheDirectoryAndHowToStartOne() {
        assertThatThrownBy(() -> StateDirectory.of(directory).stackSettings(Map.of(), Map.of(), List.of("DB_URL")))
                .hasMessageContaining("no running local stack in " + directory.toAbsolutePath())
                .hasMessageContaining("local-stack.jar run --state-dir " + directory.toAbsolutePath())
                .hasMessageContaining("DB_URL");
    }

    @Test
    void aStaleEndpointsFile_isNoRunningStack() {
        long deadPid = ProcessHandle.allProcesses().mapToLong(ProcessHandle::pid).max().orElse(1) + 100_000;
        new StackEndpoints(deadPid, "http://127.0.0.1:3000", Map.of("DB_URL", "x")).write(directory);

        assertThatThrownBy(() -> StateDirectory.of(directory).stackSettings(Map.of(), Map.of(), List.of("DB_URL")))
                .hasMessageContaining("no running local stack");
    }
}
