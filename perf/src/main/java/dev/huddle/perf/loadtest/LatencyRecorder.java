package dev.huddle.perf.loadtest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Everything the answers of a run tell: latency (from each attempt's intended send time, in
 * microseconds) overall, of the 200s and of the shed answers (503/429) apart, and per second of the run;
 * status counts, event outcomes, retries, what the generator dropped and the back-pressure header; and the
 * handler's own figures of each 200 ({@link HandlerTimings}), one histogram per figure.
 * Thread-safe: answers arrive on the HTTP client's threads.
 */
final class LatencyRecorder {
    static final String STATUS_OTHER = "other";
    private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(10);

    private final Histogram all = histogram(3);
    private final Histogram admitted = histogram(3);
    private final Histogram shed = histogram(3);
    private final TreeMap<Long, Histogram> perSecond = new TreeMap<>();
    private final Map<String, Histogram> handler = new LinkedHashMap<>();
    private final TreeMap<String, Long> statuses = new TreeMap<>();
    private final TreeMap<String, Long> failures = new TreeMap<>();
    private final Counts counts = new Counts();
    private final List<String> undeliveredEventIds = new ArrayList<>();
    private long answersSincePeek;

    /** The request and event counts of a run, by category (see {@link Summary}). */
    static final class Counts {
        long accepted;
        long duplicates;
        long rejected;
        long notDelivered;
        long notDeliveredRequests;
        long retries;
        long retriedAndDelivered;
        long droppedRequests;
        long droppedEvents;
        long joinedRequests;
        long joinedEvents;
        long lagAnswers;
        long maxLagMillis;
        /** 200 answers that arrived while the plan was still sending: what the stack carried under its load. */
        long admittedWhilePlanRan;

        void add(Counts other) {
            accepted += other.accepted;
            duplicates += other.duplicates;
            rejected += other.rejected;
            notDelivered += other.notDelivered;
            notDeliveredRequests += other.notDeliveredRequests;
            retries += other.retries;
            retriedAndDelivered += other.retriedAndDelivered;
            droppedRequests += other.droppedRequests;
            droppedEvents += other.droppedEvents;
            joinedRequests += other.joinedRequests;
            joinedEvents += other.joinedEvents;
            lagAnswers += other.lagAnswers;
            maxLagMillis = Math.max(maxLagMillis, other.maxLagMillis);
            admittedWhilePlanRan += other.admittedWhilePlanRan;
        }

        Counts copy() {
            Counts copy = new Counts();
            copy.add(this);
            return copy;
        }
    }

    private static Histogram histogram(int digits) {
        return new Histogram(HIGHEST_MICROS, digits);
    }

    /** One answer (or failure: status {@value #STATUS_OTHER}) to an attempt meant to leave at {@code second}. */
    synchronized void answer(long second, long latencyNanos, String status) {
        long micros = Math.min(HIGHEST_MICROS, Math.max(1, latencyNanos / 1_000));
        all.recordValue(micros);
        if (status.equals("200")) {
            admitted.recordValue(micros);
        } else if (isShed(status)) {
            shed.recordValue(micros);
        }
        perSecond.computeIfAbsent(second, s -> histogram(2)).recordValue(micros);
        statuses.merge(status, 1L, Long::sum);
        answersSincePeek++;
    }

    /** The handler's own figures of one 200 answer, in microseconds by name (empty: the stack sent none). */
    synchronized void handlerTimings(Map<String, Long> micros) {
        micros.forEach((name, value) -> handler.computeIfAbsent(name, n -> histogram(3))
                .recordValue(Math.min(HIGHEST_MICROS, value)));
    }

    static boolean isShed(String status) {
        return status.equals("503") || status.equals("429");
    }

    /** Why an attempt got no answer (the exception's class), counted under status {@value #STATUS_OTHER}. */
    synchronized void failure(String kind) {
        failures.merge(kind, 1L, Long::sum);
    }

    /** A 200's outcomes; {@code afterRetries}: the request had been refused or unanswered before. */
    synchronized void outcomes(int acceptedEvents, int duplicateEvents, int rejectedEvents, boolean afterRetries) {
        counts.accepted += acceptedEvents;
        counts.duplicates += duplicateEvents;
        counts.rejected += rejectedEvents;
        if (afterRetries) {
            counts.retriedAndDelivered++;
        }
    }

    synchronized void queueLag(long millis) {
        counts.lagAnswers++;
        counts.maxLagMillis = Math.max(counts.maxLagMillis, millis);
    }

    synchronized void retry() {
        counts.retries++;
    }

    synchronized void admittedWhilePlanRan() {
        counts.admittedWhilePlanRan++;
    }

    synchronized void gaveUp(List<String> eventIds) {
        counts.notDelivered += eventIds.size();
        counts.notDeliveredRequests++;
        undeliveredEventIds.addAll(eventIds);
    }

    /** A planned request the generator could not send on time (its in-flight cap was reached, or it was late). */
    synchronized void dropped(int events) {
        counts.droppedRequests++;
        counts.droppedEvents += events;
    }

    /** A planned request whose events joined its learner's waiting retry instead of being sent on their own. */
    synchronized void joinedRetry(int events) {
        counts.joinedRequests++;
        counts.joinedEvents += events;
    }

    /** What a progress line shows; resets the answer count of the window. */
    synchronized Peek peek() {
        Peek peek = new Peek(answersSincePeek, percentileMillis(all, 95), new TreeMap<>(statuses),
                counts.droppedRequests);
        answersSincePeek = 0;
        return peek;
    }

    record Peek(long answers, double p95Millis, Map<String, Long> statuses, long dropped) {
    }

    synchronized Summary summary() {
        Map<Long, Histogram> seconds = new TreeMap<>();
        perSecond.forEach((second, histogram) -> seconds.put(second, histogram.copy()));
        Map<String, Histogram> handlerCopy = new LinkedHashMap<>();
        handler.forEach((name, histogram) -> handlerCopy.put(name, histogram.copy()));
        return new Summary(all.copy(), admitted.copy(), shed.copy(), new TreeMap<>(statuses), new TreeMap<>(failures),
                counts.copy(), seconds, List.copyOf(undeliveredEventIds), handlerCopy);
    }

    /**
     * The figures of a finished run (or step). Histograms are copies.
     *
     * @param latency every attempt that got an answer or failed
     * @param admitted the 200 answers
     * @param shed the 503 and 429 answers: the stack refusing load, which must be fast
     * @param undeliveredEventIds the events of the requests not delivered at the end: a 503 may come after
     *     the commit, so some of them may be in the database without an answer saying so
     * @param handler the handler's own figures of the 200 answers by Server-Timing name, in microseconds;
     *     empty when the stack sent none
     */
    record Summary(Histogram latency, Histogram admitted, Histogram shed, Map<String, Long> statuses,
            Map<String, Long> failures, Counts counts, Map<Long, Histogram> perSecond,
            List<String> undeliveredEventIds, Map<String, Histogram> handler) {
        long attempts() {
            return latency.getTotalCount();
        }

        double p50Millis() {
            return percentileMillis(latency, 50);
        }

        double p95Millis() {
            return percentileMillis(latency, 95);
        }

        double p99Millis() {
            return percentileMillis(latency, 99);
        }

        double maxMillis() {
            return latency.getTotalCount() == 0 ? 0 : latency.getMaxValue() / 1000.0;
        }

        long accepted() {
            return counts.accepted;
        }

        long duplicates() {
            return counts.duplicates;
        }

        long rejected() {
            return counts.rejected;
        }

        long notDelivered() {
            return counts.notDelivered;
        }

        long retries() {
            return counts.retries;
        }

        long lagAnswers() {
            return counts.lagAnswers;
        }

        long maxLagMillis() {
            return counts.maxLagMillis;
        }

        /** Both summaries as one; {@code other}'s seconds come {@code secondOffset} after this one's. */
        Summary plus(Summary other, long secondOffset) {
            Histogram[] sums = {latency.copy(), admitted.copy(), shed.copy()};
            sums[0].add(other.latency);
            sums[1].add(other.admitted);
            sums[2].add(other.shed);
            Map<String, Long> statusSum = new TreeMap<>(statuses);
            other.statuses.forEach((status, count) -> statusSum.merge(status, count, Long::sum));
            Map<String, Long> failureSum = new TreeMap<>(failures);
            other.failures.forEach((kind, count) -> failureSum.merge(kind, count, Long::sum));
            Counts countSum = counts.copy();
            countSum.add(other.counts);
            Map<Long, Histogram> seconds = new TreeMap<>(perSecond);
            other.perSecond.forEach((second, histogram) -> seconds.put(secondOffset + second, histogram));
            List<String> undelivered = new ArrayList<>(undeliveredEventIds);
            undelivered.addAll(other.undeliveredEventIds);
            Map<String, Histogram> handlerSum = new LinkedHashMap<>();
            handler.forEach((name, histogram) -> handlerSum.put(name, histogram.copy()));
            other.handler.forEach((name, histogram) -> handlerSum.merge(name, histogram, (mine, theirs) -> {
                mine.add(theirs);
                return mine;
            }));
            return new Summary(sums[0], sums[1], sums[2], statusSum, failureSum, countSum, seconds, undelivered,
                    handlerSum);
        }
    }

    static double percentileMillis(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1000.0;
    }
}
