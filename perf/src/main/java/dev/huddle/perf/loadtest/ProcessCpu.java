package dev.huddle.perf.loadtest;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The CPU time each process of a co-located load test spent during the measured run, read from Linux's
 * {@code /proc} at its start and its end: the stack's JVM (front, functions, ElasticMQ), PostgreSQL,
 * dynalite, the generator itself, and the rest of the machine (neighbours). Issue 12 asks to keep what the
 * emulators cost the shared cores apart from what our code costs: on AWS, only the functions' part is ours
 * to pay, and the emulators' part is the managed services'.
 *
 * <p>Per process, not per process name: a PostgreSQL backend that connects during the run counts from its
 * start (all of its life lies in the window), one that exits before the end is left out (its last ticks
 * cannot be read), and the window has no other way to lose or count twice. Off Linux it reports nothing.
 *
 * <p>Of each JVM it also reports what its JIT compiler threads spent: in the seed's scenario the stack's C2
 * thread was still compiling a quarter of a core a minute into the run (docs/PERFORMANCE.md), CPU that a
 * warm service does not spend and that a Lambda function, which runs C1 only, spends differently.
 */
final class ProcessCpu {
    /** Linux's USER_HZ, the unit of {@code /proc} CPU times: fixed at 100 by the kernel's ABI on x86 and arm64. */
    private static final double TICKS_PER_SECOND = 100;
    /** The two roles this class adds to the target's ({@link LoadTarget#processesByRole()}). */
    static final String GENERATOR = "generator";
    static final String REST = "rest";
    private static final Map<String, String> LABELS = Map.of(
            LoadTarget.STACK_JVM, "stack JVM (HTTP front, functions, ElasticMQ, S3Proxy)",
            LoadTarget.POSTGRES, "PostgreSQL (embedded)",
            LoadTarget.DYNALITE, "dynalite (node)",
            GENERATOR, "generator JVM (this process)",
            REST, "rest of the machine (other processes)");
    private static final Path PROC = Path.of("/proc");
    /** The roles that are JVMs, whose JIT compiler threads are counted apart as well. */
    private static final Set<String> JVM_ROLES = Set.of(LoadTarget.STACK_JVM, GENERATOR);
    /** HotSpot's compiler threads ("C1 CompilerThread0", ...), as Linux shortens a thread's name to 15 bytes. */
    private static final List<String> JIT_THREAD_NAMES = List.of("C1 CompilerThre", "C2 CompilerThre");

    /**
     * What the processes of each role had used at one moment: ticks by pid, the JVMs' JIT compiler threads'
     * ticks by thread id (HotSpot starts and stops compiler threads as the queue grows and shrinks; like a
     * process, a thread gone by the end is left out), and the machine's busy ticks.
     */
    record Snapshot(long nanoTime, Map<String, Map<Long, Long>> ticksByRole, Map<String, Map<Long, Long>> jitTicksByRole,
            long machineBusyTicks) {
    }

    /**
     * The CPU of each role over a window, in seconds, with the window's length and the machine's cores; of the
     * JVM roles, also the part their JIT compiler threads spent.
     */
    record Usage(double seconds, int cores, Map<String, Double> cpuSecondsByRole, Map<String, Double> jitSecondsByRole) {

        double coresUsed(String role) {
            return cpuSecondsByRole.getOrDefault(role, 0.0) / seconds;
        }

        void print(PrintStream out, long answers) {
            out.printf("  CPU by process over the measured run (%.0f s, %d cores, from /proc)%n", seconds, cores);
            out.printf("    %-52s %7s %15s%n", "process", "cores", "ms per answer");
            cpuSecondsByRole.forEach((role, cpu) -> {
                printRow(out, LABELS.getOrDefault(role, role), cpu, answers);
                Double jit = jitSecondsByRole.get(role);
                if (jit != null) {
                    printRow(out, "  of which its JIT compiler threads", jit, answers);
                }
            });
        }

        private void printRow(PrintStream out, String label, double cpuSeconds, long answers) {
            out.printf("    %-52s %7.2f %15.3f%n", label, cpuSeconds / seconds, perAnswerMillis(cpuSeconds, answers));
        }

        Map<String, Object> json(long answers) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("seconds", Math.round(seconds * 10) / 10.0);
            json.put("cores", cores);
            cpuSecondsByRole.forEach((role, cpu) -> {
                Map<String, Object> figures = new LinkedHashMap<>();
                figures.put("coresUsed", Math.round(cpu / seconds * 100) / 100.0);
                figures.put("msPerAnswer", Math.round(perAnswerMillis(cpu, answers) * 1000) / 1000.0);
                Double jit = jitSecondsByRole.get(role);
                if (jit != null) {
                    figures.put("jitCoresUsed", Math.round(jit / seconds * 100) / 100.0);
                }
                json.put(role, figures);
            });
            return json;
        }

        private static double perAnswerMillis(double cpuSeconds, long answers) {
            return answers == 0 ? 0 : cpuSeconds * 1000 / answers;
        }
    }

    private final Map<String, Supplier<Stream<ProcessHandle>>> roles;

    /** {@code roles}: the target's processes by role, looked up at each snapshot (backends come and go). */
    ProcessCpu(Map<String, Supplier<Stream<ProcessHandle>>> roles) {
        this.roles = new LinkedHashMap<>(roles);
        this.roles.put(GENERATOR, () -> Stream.of(ProcessHandle.current()));
    }

    /** Empty off Linux (no {@code /proc/stat}). */
    Optional<Snapshot> snapshot() {
        Optional<Long> machine = machineBusyTicks();
        if (machine.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Map<Long, Long>> byRole = new LinkedHashMap<>();
        Map<String, Map<Long, Long>> jitByRole = new LinkedHashMap<>();
        roles.forEach((role, processes) -> {
            Map<Long, Long> ticks = new HashMap<>();
            Map<Long, Long> jitTicks = new HashMap<>();
            processes.get().forEach(process -> ticksOf(process.pid()).ifPresent(t -> {
                ticks.put(process.pid(), t);
                if (JVM_ROLES.contains(role)) {
                    jitTicks.putAll(jitTicksOf(process.pid()));
                }
            }));
            byRole.put(role, ticks);
            if (JVM_ROLES.contains(role)) {
                jitByRole.put(role, jitTicks);
            }
        });
        return Optional.of(new Snapshot(System.nanoTime(), byRole, jitByRole, machine.get()));
    }

    /** The usage between two snapshots; the rest of the machine is its busy time minus every role's. */
    static Usage between(Snapshot start, Snapshot end) {
        Map<String, Double> seconds = secondsByRole(start.ticksByRole(), end.ticksByRole());
        double counted = seconds.values().stream().mapToDouble(Double::doubleValue).sum();
        seconds.put(REST, Math.max(0, (end.machineBusyTicks() - start.machineBusyTicks()) / TICKS_PER_SECOND - counted));
        return new Usage((end.nanoTime() - start.nanoTime()) / 1e9, Runtime.getRuntime().availableProcessors(), seconds,
                secondsByRole(start.jitTicksByRole(), end.jitTicksByRole()));
    }

    private static Map<String, Double> secondsByRole(Map<String, Map<Long, Long>> start, Map<String, Map<Long, Long>> end) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        end.forEach((role, ticksByPid) -> {
            Map<Long, Long> before = start.getOrDefault(role, Map.of());
            long ticks = 0;
            for (Map.Entry<Long, Long> process : ticksByPid.entrySet()) {
                ticks += process.getValue() - before.getOrDefault(process.getKey(), 0L);
            }
            seconds.put(role, ticks / TICKS_PER_SECOND);
        });
        return seconds;
    }

    /** utime + stime of {@code /proc/<pid>/stat} (fields 14 and 15; the name in field 2 may hold spaces). */
    static Optional<Long> ticksOf(long pid) {
        return taskTicks(PROC.resolve(Long.toString(pid)));
    }

    /** utime + stime of a process's or a thread's {@code stat} in {@code directory}. */
    private static Optional<Long> taskTicks(Path directory) {
        try {
            String stat = Files.readString(directory.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Optional.of(Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
        } catch (IOException | RuntimeException gone) {
            return Optional.empty();
        }
    }

    /** The ticks of the JVM {@code pid}'s JIT compiler threads alive now, by thread id; empty when it is gone. */
    static Map<Long, Long> jitTicksOf(long pid) {
        Map<Long, Long> ticks = new HashMap<>();
        try (Stream<Path> tasks = Files.list(PROC.resolve(Long.toString(pid)).resolve("task"))) {
            tasks.filter(ProcessCpu::isJitThread).forEach(task -> taskTicks(task)
                    .ifPresent(t -> ticks.put(Long.parseLong(task.getFileName().toString()), t)));
        } catch (IOException | RuntimeException gone) {
            return Map.of();
        }
        return ticks;
    }

    private static boolean isJitThread(Path task) {
        try {
            String name = Files.readString(task.resolve("comm")).strip();
            return JIT_THREAD_NAMES.stream().anyMatch(name::startsWith);
        } catch (IOException | RuntimeException gone) {
            return false;
        }
    }

    /** The first line of {@code /proc/stat}: every core's time but idle and iowait. */
    private static Optional<Long> machineBusyTicks() {
        try (Stream<String> lines = Files.lines(PROC.resolve("stat"))) {
            List<String> fields = List.of(lines.findFirst().orElseThrow().trim().split("\\s+"));
            long busy = 0;
            for (int i = 1; i < fields.size(); i++) {
                // user nice system idle iowait irq softirq steal guest guest_nice: steal is the hypervisor's,
                // and guest time is in user already.
                if (i != 4 && i != 5 && i < 8) {
                    busy += Long.parseLong(fields.get(i));
                }
            }
            return Optional.of(busy);
        } catch (IOException | RuntimeException notLinux) {
            return Optional.empty();
        }
    }
}
