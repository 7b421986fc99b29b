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
        ProcessCpu.Snapshot start = new ProcessCpu.Snapshot(0, Map.of("postgres", Map.of(1L, 500L, 2L, 100L)), Map.of(),
                1_000);
        ProcessCpu.Snapshot end = new ProcessCpu.Snapshot(2_000_000_000L,
                Map.of("postgres", Map.of(1L, 600L, 3L, 50L)), Map.of(), 1_400);

        ProcessCpu.Usage usage = ProcessCpu.between(start, end);

        // Process 1: 100 ticks; process 2 exited (left out); process 3 started within the window: 50 ticks.
        assertThat(usage.cpuSecondsByRole()).containsEntry("postgres", 1.5).containsEntry(ProcessCpu.REST, 2.5);
        assertThat(usage.coresUsed("postgres")).isEqualTo(0.75);
    }

    @Test
    void countsTheJitCompilerThreadsOfTheJvmsApart() throws Exception {
        // JIT threads by thread id: 11 ran 30 ticks; 12 stopped during the window (left out); 13 started in it.
        ProcessCpu.Snapshot start = new ProcessCpu.Snapshot(0, Map.of(LoadTarget.STACK_JVM, Map.of(1L, 1_000L)),
                Map.of(LoadTarget.STACK_JVM, Map.of(11L, 300L, 12L, 40L)), 2_000);
        ProcessCpu.Snapshot end = new ProcessCpu.Snapshot(2_000_000_000L, Map.of(LoadTarget.STACK_JVM, Map.of(1L, 1_200L)),
                Map.of(LoadTarget.STACK_JVM, Map.of(11L, 330L, 13L, 20L)), 2_300);

        ProcessCpu.Usage usage = ProcessCpu.between(start, end);
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        usage.print(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8), 100);

        // 200 ticks of the JVM, 50 of them its compiler threads'; the JIT is part of the JVM, not added to it.
        assertThat(usage.cpuSecondsByRole()).containsEntry(LoadTarget.STACK_JVM, 2.0).containsEntry(ProcessCpu.REST, 1.0);
        assertThat(usage.jitSecondsByRole()).containsEntry(LoadTarget.STACK_JVM, 0.5);
        assertThat(printed.toString(java.nio.charset.StandardCharsets.UTF_8))
                .containsPattern("of which its JIT compiler threads +0\\.25 +5\\.000");
        assertThat(usage.json(100)).extractingByKey(LoadTarget.STACK_JVM)
                .isEqualTo(Map.of("coresUsed", 1.0, "msPerAnswer", 20.0, "jitCoresUsed", 0.25));

        assumeTrue(Files.isReadable(Path.of("/proc/stat")), "needs Linux's /proc");
        long self = ProcessHandle.current().pid();
        // HotSpot's thread names, as /proc shows them, are what the count relies on.
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(self), "task"))) {
            assertThat(tasks.map(task -> {
                try {
                    return Files.readString(task.resolve("comm")).strip();
                } catch (java.io.IOException gone) {
                    return "";
                }
            })).anyMatch(name -> name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre"));
        }
        assertThat(ProcessCpu.jitTicksOf(self)).isNotEmpty().allSatisfy((thread, ticks) ->
                assertThat(ticks).isBetween(0L, ProcessCpu.ticksOf(self).orElseThrow()));
        assertThat(ProcessCpu.jitTicksOf(-1)).isEmpty();
        assertThat(new ProcessCpu(Map.of()).snapshot().orElseThrow().jitTicksByRole()).containsKey(ProcessCpu.GENERATOR);
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
