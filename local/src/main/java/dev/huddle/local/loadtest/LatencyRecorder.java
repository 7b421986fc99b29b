package dev.huddle.local.loadtest;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Everything the answers of a run tell: latency (from each attempt's intended send time, in
 * microseconds) overall and per second of the run, status counts, event outcomes, retries and the
 * back-pressure header. Thread-safe: answers arrive on the HTTP client's threads.
 */
final class LatencyRecorder {
    static final String STATUS_OTHER = "other";
    private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(10);

    private final Histogram all = new Histogram(HIGHEST_MICROS, 3);
    private final TreeMap<Long, Histogram> perSecond = new TreeMap<>();
    private final TreeMap<String, Long> statuses = new TreeMap<>();
    private final TreeMap<String, Long> failures = new TreeMap<>();
    private long accepted;
    private long duplicates;
    private long rejected;
    private long notDelivered;
    private long retries;
    private long lagAnswers;
    private long maxLagMillis;
    private long answersSincePeek;

    /** One answer (or failure: status {@value #STATUS_OTHER}) to an attempt meant to leave at {@code second}. */
    synchronized void answer(long second, long latencyNanos, String status) {
        long micros = Math.min(HIGHEST_MICROS, Math.max(1, latencyNanos / 1_000));
        all.recordValue(micros);
        perSecond.computeIfAbsent(second, s -> new Histogram(HIGHEST_MICROS, 2)).recordValue(micros);
        statuses.merge(status, 1L, Long::sum);
        answersSincePeek++;
    }

    /** Why an attempt got no answer (the exception's class), counted under status {@value #STATUS_OTHER}. */
    synchronized void failure(String kind) {
        failures.merge(kind, 1L, Long::sum);
    }

    synchronized void outcomes(int acceptedEvents, int duplicateEvents, int rejectedEvents) {
        accepted += acceptedEvents;
        duplicates += duplicateEvents;
        rejected += rejectedEvents;
    }

    synchronized void queueLag(long millis) {
        lagAnswers++;
        maxLagMillis = Math.max(maxLagMillis, millis);
    }

    synchronized void retry() {
        retries++;
    }

    synchronized void gaveUp(int events) {
        notDelivered += events;
    }

    /** What a progress line shows; resets the answer count of the window. */
    synchronized Peek peek() {
        Peek peek = new Peek(answersSincePeek, percentileMillis(all, 95), new TreeMap<>(statuses));
        answersSincePeek = 0;
        return peek;
    }

    record Peek(long answers, double p95Millis, Map<String, Long> statuses) {
    }

    synchronized Summary summary() {
        return new Summary(all.getTotalCount(), percentileMillis(all, 50), percentileMillis(all, 95),
                percentileMillis(all, 99), all.getTotalCount() == 0 ? 0 : all.getMaxValue() / 1000.0,
                new TreeMap<>(statuses), new TreeMap<>(failures), accepted, duplicates, rejected, notDelivered, retries,
                lagAnswers, maxLagMillis, all.copy(), copyPerSecond());
    }

    /** The figures of a finished run (or step). Histograms are copies. */
    record Summary(long attempts, double p50Millis, double p95Millis, double p99Millis, double maxMillis,
            Map<String, Long> statuses, Map<String, Long> failures, long accepted, long duplicates, long rejected, long notDelivered,
            long retries, long lagAnswers, long maxLagMillis, Histogram latency, Map<Long, Histogram> perSecond) {
    }

    private Map<Long, Histogram> copyPerSecond() {
        Map<Long, Histogram> copy = new TreeMap<>();
        perSecond.forEach((second, histogram) -> copy.put(second, histogram.copy()));
        return copy;
    }

    static double percentileMillis(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1000.0;
    }
}
