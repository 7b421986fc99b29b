package dev.huddle.perf.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ProcessCpuTest {
    /** Where the busy loop's result goes, so the JIT cannot drop the loop. */
    private static volatile long sink;

    @Test
    void countsTheCpuThisProcessSpent_asTheGenerators() {
        assumeTrue(Files.isReadable(Path.of("/proc/stat")), "needs Linux's /proc");
        ProcessCpu cpu = new ProcessCpu(Map.of());
        ProcessCpu.Snapshot before = cpu.snapshot().orElseThrow();

        burnCpuOfThisThread(300);

        ProcessCpu.Usage usage = ProcessCpu.between(before, cpu.snapshot().orElseThrow());
        // At least the 300 ms this thread burned, less one tick of /proc's 10 ms resolution at each end.
        assertThat(usage.cpuSecondsByRole().get(ProcessCpu.GENERATOR)).isGreaterThanOrEqualTo(0.28);
        assertThat(usage.cpuSecondsByRole()).containsKey(ProcessCpu.REST);
        assertThat(usage.seconds()).isPositive();
    }

    @Test
    void leavesOutAProcessThatIsGone_andCountsOneBornDuringTheWindowFromItsStart() {
        ProcessCpu.Snapshot start = new ProcessCpu.Snapshot(0, Map.of("postgres", Map.of(1L, 500L, 2L, 100L)), 1_000);
        ProcessCpu.Snapshot end = new ProcessCpu.Snapshot(2_000_000_000L,
                Map.of("postgres", Map.of(1L, 600L, 3L, 50L)), 1_400);

        ProcessCpu.Usage usage = ProcessCpu.between(start, end);

        // Process 1: 100 ticks; process 2 exited (left out); process 3 started within the window: 50 ticks.
        assertThat(usage.cpuSecondsByRole()).containsEntry("postgres", 1.5).containsEntry(ProcessCpu.REST, 2.5);
        assertThat(usage.coresUsed("postgres")).isEqualTo(0.75);
    }

    @Test
    void findsNoTicksForAProcessThatDoesNotExist() {
        assertThat(ProcessCpu.ticksOf(-1)).isEmpty();
        assumeTrue(Files.isReadable(Path.of("/proc/stat")), "needs Linux's /proc");
        assertThat(ProcessCpu.ticksOf(ProcessHandle.current().pid())).isPresent();
        assertThat(new ProcessCpu(Map.of("none", Stream::empty)).snapshot().orElseThrow().ticksByRole().get("none"))
                .isEmpty();
    }

    private static void burnCpuOfThisThread(long millis) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long until = threads.getCurrentThreadCpuTime() + millis * 1_000_000;
        long value = 0;
        while (threads.getCurrentThreadCpuTime() < until) {
            for (int i = 0; i < 100_000; i++) {
                value += i * 31L ^ value;
            }
        }
        sink = value;
    }
}
