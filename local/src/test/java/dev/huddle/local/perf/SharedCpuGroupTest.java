package dev.huddle.local.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class SharedCpuGroupTest {

    @Test
    void readsTheCpuControllersPath_whicheverControllersShareItsHierarchy() {
        assertThat(SharedCpuGroup.cpuCgroup(List.of("4:memory:/x", "1:cpu:/", "0::/"))).contains("/");
        assertThat(SharedCpuGroup.cpuCgroup(List.of("3:cpu,cpuacct:/huddle-loadtest-7"))).contains("/huddle-loadtest-7");
        assertThat(SharedCpuGroup.cpuCgroup(List.of("2:cpuacct:/", "0::/user.slice"))).isEmpty();
    }

    @Test
    void movesThisProcessAndTheProcessesItStartsIntoOneGroup_andLeavesNoGroupBehind() throws Exception {
        SharedCpuGroup.Entered entered = SharedCpuGroup.enter();
        if (entered.group().isEmpty()) {
            String reason = "no CPU group on this machine (" + entered.description() + ")";
            System.out.println("[local] SharedCpuGroupTest skipped: " + reason);
            Assumptions.abort(reason);
        }
        String group = "/huddle-loadtest-" + ProcessHandle.current().pid();
        try (SharedCpuGroup ignored = entered.group().get()) {
            assertThat(ownCpuCgroup()).isEqualTo(group);
            Process child = new ProcessBuilder("cat", "/proc/self/cgroup").start();
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(SharedCpuGroup.cpuCgroup(new String(child.getInputStream().readAllBytes()).lines().toList()))
                    .contains(group);
        }
        assertThat(ownCpuCgroup()).isEqualTo("/");
        assertThat(Path.of("/sys/fs/cgroup/cpu" + group)).doesNotExist();
    }

    private static String ownCpuCgroup() throws Exception {
        return SharedCpuGroup.cpuCgroup(Files.readAllLines(Path.of("/proc/self/cgroup"))).orElseThrow();
    }
}
