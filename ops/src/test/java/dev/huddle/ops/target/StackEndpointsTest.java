package dev.huddle.ops.target;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackEndpointsTest {
    @TempDir
    Path stateDirectory;

    private static StackEndpoints ofThisProcess(Map<String, String> settings) {
        return new StackEndpoints(ProcessHandle.current().pid(), "http://127.0.0.1:3000", settings);
    }

    @Test
    void writtenEndpoints_ofALiveProcess_areReadBack_ownerOnly() throws Exception {
        ofThisProcess(Map.of("SQS_ENDPOINT", "http://127.0.0.1:9324", "DB_PASSWORD", "secret")).write(stateDirectory);

        assertThat(StackEndpoints.readRunning(stateDirectory)).hasValueSatisfying(endpoints -> {
            assertThat(endpoints.apiUrl()).isEqualTo("http://127.0.0.1:3000");
            assertThat(endpoints.settings()).containsEntry("SQS_ENDPOINT", "http://127.0.0.1:9324");
        });
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(StackEndpoints.file(stateDirectory))))
                .isEqualTo("rw-------");
    }

    @Test
    void endpointsOfAProcessThatIsGone_areStale() {
        long deadPid = ProcessHandle.allProcesses().mapToLong(ProcessHandle::pid).max().orElse(1) + 100_000;
        new StackEndpoints(deadPid, "http://127.0.0.1:3000", Map.of("SQS_ENDPOINT", "x")).write(stateDirectory);

        assertThat(StackEndpoints.readRunning(stateDirectory)).isEmpty();
    }

    @Test
    void removeOwn_deletesTheFileThisProcessWrote() {
        ofThisProcess(Map.of()).write(stateDirectory);

        StackEndpoints.removeOwn(stateDirectory);

        assertThat(StackEndpoints.file(stateDirectory)).doesNotExist();
    }
}
