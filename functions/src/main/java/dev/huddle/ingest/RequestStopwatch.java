package dev.huddle.ingest;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * Measures one request's {@link RequestCost} on the handler thread: the thread's CPU time, and the wall
 * time of each phase. One instance per request of a fixed size, filled with a few {@link System#nanoTime()}
 * calls and no further allocation. Not thread-safe: one request runs on one thread.
 */
final class RequestStopwatch {
    private static final long NOT_RUN = RequestCost.NOT_RUN;

    /**
     * Thread CPU time where the JVM measures it (HotSpot on Linux does: clock_gettime of the thread's CPU
     * clock, well under a microsecond); checked once per container, never per request.
     */
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean CPU_MEASURED = THREADS.isCurrentThreadCpuTimeSupported()
            && THREADS.isThreadCpuTimeEnabled();

    private final long startedNanos;
    private final long startedCpuNanos;
    /** Per phase, by {@link CostFigure} ordinal; {@link #NOT_RUN} until the phase is lapped. */
    private final long[] phaseNanos = new long[CostFigure.ALL.length];

    private RequestStopwatch() {
        Arrays.fill(phaseNanos, NOT_RUN);
        this.startedCpuNanos = CPU_MEASURED ? THREADS.getCurrentThreadCpuTime() : NOT_RUN;
        this.startedNanos = System.nanoTime();
    }

    /** Starts the clocks: call first thing on the handler thread. */
    static RequestStopwatch start() {
        return new RequestStopwatch();
    }

    /**
     * Adds the time since {@code from} to {@code phase} (one of the phases, not TOTAL or CPU) and returns now,
     * where the next phase starts.
     */
    long lap(CostFigure phase, long from) {
        long now = System.nanoTime();
        int i = phase.ordinal();
        phaseNanos[i] = (phaseNanos[i] == NOT_RUN ? 0 : phaseNanos[i]) + (now - from);
        return now;
    }

    /** Stops the clocks: the phases, the total wall time and the CPU time since {@link #start()}. */
    RequestCost finish() {
        long total = System.nanoTime() - startedNanos;
        long cpu = CPU_MEASURED ? THREADS.getCurrentThreadCpuTime() - startedCpuNanos : NOT_RUN;
        return new RequestCost(micros(total), micros(cpu), phaseMicros(CostFigure.RATE_LIMIT),
                phaseMicros(CostFigure.PARSE), phaseMicros(CostFigure.VALIDATE), phaseMicros(CostFigure.DB),
                phaseMicros(CostFigure.FAN_OUT), phaseMicros(CostFigure.RESPOND));
    }

    private long phaseMicros(CostFigure phase) {
        return micros(phaseNanos[phase.ordinal()]);
    }

    private static long micros(long nanos) {
        return nanos == NOT_RUN ? NOT_RUN : nanos / 1_000;
    }
}
