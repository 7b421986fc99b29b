package dev.huddle.local.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The OS scheduling priorities of the load test's own stack against the generator on shared cores: how the
 * stack's JVM is launched ({@link #launcher()}, {@link #jvmOptions()}) and what the run's target line says.
 *
 * @param launcher what goes before {@code java} on the command line
 * @param jvmOptions the JVM options that map Java thread priorities to nice values
 * @param description for the run's "Target" line
 */
record StackPriorities(List<String> launcher, List<String> jvmOptions, String description) {
    /**
     * Without root, the own stack (its JVM, and PostgreSQL and dynalite, which inherit it) runs at nice 5, the
     * generator at the default 0. On two shared cores the generator is the clock of the measurement: Linux
     * shares the cores per thread, so at nice 0 its few threads queued behind the stack's dozens, it sent late
     * and read its clock late, and that delay was counted as the server's latency (its G1 pauses had a median
     * of 55 ms, docs/PERFORMANCE.md). At nice 5 the stack still gets every cycle the generator leaves.
     */
    static final StackPriorities BELOW_THE_GENERATOR = new StackPriorities(List.of("nice", "-n", "5"), List.of(),
            "at nice 5: the front above its functions needs root");
    /**
     * As root, the stack's JVM maps Java thread priorities to nice values instead: the HTTP front's threads
     * ({@code ApiGatewayFront}: MAX_PRIORITY) and the JVM's own at nice 0, level with the generator (a
     * collection pauses the front too, so its threads must not wait behind PostgreSQL); the functions,
     * PostgreSQL and dynalite (every other priority) at nice 19; nice values compare across these processes
     * only within one CPU group ({@link SharedCpuGroup}: under autogroups each PostgreSQL backend is weighed
     * like the whole session of the generator and the front). On AWS the clients, API Gateway and Lambda's
     * throttling have hardware of their own, so a shed request gets its 503 in milliseconds however busy the
     * functions and the database are. At nice 5 against nice 0 the front's dispatcher thread still spent
     * three quarters of each second waiting for a core at twice the capacity (its runqueue wait, from
     * /proc/PID/task/TID/schedstat), and the shed answers' p99 was 243 ms (docs/PERFORMANCE.md). Only root may
     * raise a thread's priority again, which a front thread does when a function it ran returns, so other
     * users get {@link #BELOW_THE_GENERATOR}.
     */
    static final StackPriorities FRONT_ABOVE_THE_FUNCTIONS = new StackPriorities(List.of(), List.of(
            "-XX:ThreadPriorityPolicy=1",
            "-XX:JavaPriority1_To_OSPriority=19", "-XX:JavaPriority2_To_OSPriority=19",
            "-XX:JavaPriority3_To_OSPriority=19", "-XX:JavaPriority4_To_OSPriority=19",
            "-XX:JavaPriority5_To_OSPriority=19", "-XX:JavaPriority6_To_OSPriority=19",
            "-XX:JavaPriority7_To_OSPriority=19", "-XX:JavaPriority8_To_OSPriority=19",
            // The JVM's own threads (garbage collection, the VM thread, the JIT) run at priority 9.
            "-XX:JavaPriority9_To_OSPriority=0", "-XX:JavaPriority10_To_OSPriority=0"),
            "its HTTP front at nice 0, its functions and servers at 19");

    static StackPriorities forThisUser() {
        return mayRaisePriorities() ? FRONT_ABOVE_THE_FUNCTIONS : BELOW_THE_GENERATOR;
    }

    /** Whether this process may raise a thread's OS priority again: on Linux, root (CAP_SYS_NICE). */
    private static boolean mayRaisePriorities() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }
}
