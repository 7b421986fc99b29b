package dev.huddle.local.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One CPU cgroup for the load test's processes (the generator, and the own stack's JVM, dynalite and
 * PostgreSQL, which it starts afterwards and which inherit it), so that their nice values compare with each
 * other as {@link StackPriorities} means them to.
 *
 * <p>Why: with the kernel's autogroup scheduling on (Debian's default), Linux first shares the cores between
 * sessions, each weighed alike whatever its threads' nice values, and only within a session by nice.
 * PostgreSQL's postmaster and each of its backends call {@code setsid()}, so each backend is a session of its
 * own: at {@code --rate 2000} a few busy backends, nominally at nice 19, outweighed the whole session of the
 * generator and the stack's front at nice 0, and the front's and both JVMs' collector threads waited for a
 * core (G1 pauses of 30-60 ms with 10-20 ms of CPU; the shed answers' p99 at 50-75 ms). Autogroups apply only
 * to tasks in the root CPU cgroup: in a group of their own the load test's processes compare by nice alone
 * (docs/PERFORMANCE.md, "One CPU group: PostgreSQL's backends under the front").
 *
 * <p>Needs root and cgroup v1's {@code cpu} controller (as on this project's machines); elsewhere
 * {@link #enter()} leaves everything as it is and says why.
 */
final class SharedCpuGroup implements AutoCloseable {
    private static final Path AUTOGROUP_SWITCH = Path.of("/proc/sys/kernel/sched_autogroup_enabled");
    private static final Path CPU_HIERARCHY = Path.of("/sys/fs/cgroup/cpu");

    private final Path group;

    private SharedCpuGroup(Path group) {
        this.group = group;
    }

    /** Moves this process into a new CPU cgroup, or tells why it stays where it is. */
    static Entered enter() {
        Optional<String> why = whyNot();
        if (why.isPresent()) {
            return new Entered(Optional.empty(), why.get());
        }
        Path group = CPU_HIERARCHY.resolve("huddle-loadtest-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(group);
            // Moves every thread of this process; processes it starts from now on are born in the group.
            Files.writeString(group.resolve("cgroup.procs"), Long.toString(ProcessHandle.current().pid()));
            return new Entered(Optional.of(new SharedCpuGroup(group)), "its processes in one CPU cgroup ("
                    + group + "), so PostgreSQL's backends are not each an autogroup of their own");
        } catch (IOException | RuntimeException e) {
            deleteQuietly(group);
            return new Entered(Optional.empty(), "PostgreSQL's backends each an autogroup of their own: cannot use "
                    + group + " (" + e.getMessage() + ")");
        }
    }

    /**
     * The outcome of {@link #enter()}: the group (to close once the stack has stopped), and what the run's
     * "Target" line says.
     */
    record Entered(Optional<SharedCpuGroup> group, String description) {
    }

    private static Optional<String> whyNot() {
        try {
            if (!Files.exists(AUTOGROUP_SWITCH) || !Files.readString(AUTOGROUP_SWITCH).trim().equals("1")) {
                return Optional.of("autogroup scheduling off: nice values compare across processes as they are");
            }
            if (!Files.isWritable(CPU_HIERARCHY.resolve("cgroup.procs"))) {
                return Optional.of("PostgreSQL's backends each an autogroup of their own: no writable cgroup v1"
                        + " cpu controller at " + CPU_HIERARCHY);
            }
            Optional<String> current = cpuCgroup(Files.readAllLines(Path.of("/proc/self/cgroup")));
            if (current.isEmpty() || !current.get().equals("/")) {
                return Optional.of("already in CPU cgroup " + current.orElse("(unknown)")
                        + ", where autogroups do not apply");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("PostgreSQL's backends each an autogroup of their own: " + e.getMessage());
        }
    }

    /** This process's cgroup v1 {@code cpu} path from {@code /proc/self/cgroup} lines ("4:cpu,cpuacct:/a"). */
    static Optional<String> cpuCgroup(List<String> procSelfCgroup) {
        for (String line : procSelfCgroup) {
            String[] fields = line.split(":", 3);
            if (fields.length == 3 && List.of(fields[1].split(",")).contains("cpu")) {
                return Optional.of(fields[2]);
            }
        }
        return Optional.empty();
    }

    /** Moves this process back to the root group and removes the group; call after the stack has stopped. */
    @Override
    public void close() {
        try {
            Files.writeString(CPU_HIERARCHY.resolve("cgroup.procs"), Long.toString(ProcessHandle.current().pid()));
        } catch (IOException e) {
            System.err.println("cannot leave " + group + ": " + e.getMessage());
        }
        deleteQuietly(group);
    }

    /** A cgroup directory is removed with rmdir once no process is left in it. */
    private static void deleteQuietly(Path group) {
        try {
            Files.deleteIfExists(group);
        } catch (IOException e) {
            System.err.println("cannot remove " + group + ": " + e.getMessage());
        }
    }
}
