package dev.huddle.perf.loadtest;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.huddle.common.Json;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** The figures of a load test (one run, or the steps of --find-max) and how they are shown. */
final class LoadResult {
    /** One run at one rate. */
    record Step(double rate, Duration duration, long events, LatencyRecorder.Summary answers, double elapsedSeconds,
            boolean held) {
        Step judged(boolean held) {
            return new Step(rate, duration, events, answers, elapsedSeconds, held);
        }

        double rps() {
            return answers.attempts() / elapsedSeconds;
        }

        /**
         * The 200s a second that arrived while the plan was sending: what the stack carried under this load
         * (the retries delivered after it, at a lower rate, are left out). A step "holds" on the p95 of every
         * answer, fast 503s included, so a stack that admits less and sheds more can hold a higher rate; this
         * shows which.
         */
        double admittedPerSecond() {
            return answers.counts().admittedWhilePlanRan / (duration.toNanos() / 1e9);
        }
    }

    private final int learners;
    private final List<Step> steps;
    private final Step highestHeld;
    private final Duration p95Limit;
    private final List<TimedAction> actions;
    private final Reconciliation reconciliation;
    private final double healthAfterRunMillis;

    /**
     * What the run cost the machine, beside the answers: CPU by process and what the functions logged;
     * either may be null (off Linux; a running stack whose log this command does not see).
     */
    record Costs(ProcessCpu.Usage cpu, StackLogCounts log) {
        static final Costs NONE = new Costs(null, null);
    }

    private final Costs costs;

    private LoadResult(int learners, List<Step> steps, Step highestHeld, Duration p95Limit, List<TimedAction> actions,
            Reconciliation reconciliation, double healthAfterRunMillis, Costs costs) {
        this.healthAfterRunMillis = healthAfterRunMillis;
        this.learners = learners;
        this.steps = List.copyOf(steps);
        this.highestHeld = highestHeld;
        this.p95Limit = p95Limit;
        this.actions = List.copyOf(actions);
        this.reconciliation = reconciliation;
        this.costs = costs;
    }

    static LoadResult single(int learners, Step step, List<TimedAction> actions) {
        return new LoadResult(learners, List.of(step), null, null, actions, null, -1, Costs.NONE);
    }

    static LoadResult steps(int learners, List<Step> steps, Step highestHeld, Duration p95Limit) {
        return new LoadResult(learners, steps, highestHeld, p95Limit, List.of(), null, -1, Costs.NONE);
    }

    /** The event ids of the requests not delivered at the end, to count how many were stored anyway. */
    List<String> undeliveredEventIds() {
        return total().undeliveredEventIds();
    }

    /** With the database's row count of the run's events, and of those of the undelivered requests. */
    LoadResult reconciled(long rowsInDatabase, long rowsOfUndelivered) {
        long generated = steps.stream().mapToLong(Step::events).sum();
        return new LoadResult(learners, steps, highestHeld, p95Limit, actions,
                Reconciliation.of(generated, total(), rowsInDatabase, rowsOfUndelivered), healthAfterRunMillis, costs);
    }

    /** With how long {@code GET /api/health} took right after the run (the stack must answer at once). */
    LoadResult withHealthAfterRun(double millis) {
        return new LoadResult(learners, steps, highestHeld, p95Limit, actions, reconciliation, millis, costs);
    }

    LoadResult withCosts(Costs costs) {
        return new LoadResult(learners, steps, highestHeld, p95Limit, actions, reconciliation, healthAfterRunMillis,
                costs);
    }

    Reconciliation reconciliation() {
        return reconciliation;
    }

    private boolean stepMode() {
        return p95Limit != null;
    }

    /** Prints the figures and the reconciliation, writes the HTML report, and ends with the JSON line. */
    void print(PrintStream out, Path reportFile, int maxInFlight) throws JsonProcessingException {
        LatencyRecorder.Summary total = total();
        double elapsed = steps.stream().mapToDouble(Step::elapsedSeconds).sum();
        out.printf("%nLoad test: %,d learners, %s%n", learners, stepMode() ? steps.size() + " steps" : String.format(
                "%.0f requests/s planned for %d s", steps.get(0).rate(), steps.get(0).duration().toSeconds()));
        out.printf("  requests (attempts)  %,12d   %.0f/s, retries %,d%n", total.attempts(), total.attempts() / elapsed,
                total.retries());
        out.printf("  latency ms           p50 %.1f   p95 %.1f   p99 %.1f   max %.1f%n", total.p50Millis(),
                total.p95Millis(), total.p99Millis(), total.maxMillis());
        out.printf("  status               %s%n", OpenModelDriver.statusText(total.statuses()));
        if (!total.failures().isEmpty()) {
            out.printf("  no answer (retried)  %s%n", OpenModelDriver.statusText(total.failures()));
        }
        out.printf("  X-Client-Queue-Lag   %,d answers carried it (max %d ms)%n", total.lagAnswers(),
                total.maxLagMillis());
        LatencyRecorder.Counts counts = total.counts();
        out.printf("""
                  Requests by category
                    admitted (200)               %,12d   p99 %.1f ms   max %.1f ms   %.0f/s while the plan ran
                    shed (503/429 answers)       %,12d   p99 %.1f ms   max %.1f ms
                    retried and delivered        %,12d
                    joined a waiting retry       %,12d   (%,d events; sent in their learner's retry, as the client library does)
                    not delivered at the end     %,12d   (%,d events)
                    dropped by the generator     %,12d   (%,d events; never sent: its in-flight cap of %d was reached, or it was late)
                """, total.admitted().getTotalCount(), LatencyRecorder.percentileMillis(total.admitted(), 99),
                maxMillis(total.admitted()), admittedPerSecond(), total.shed().getTotalCount(),
                LatencyRecorder.percentileMillis(total.shed(), 99), maxMillis(total.shed()), counts.retriedAndDelivered,
                counts.joinedRequests, counts.joinedEvents,
                counts.notDeliveredRequests, counts.notDelivered, counts.droppedRequests, counts.droppedEvents,
                maxInFlight);
        HandlerTimings.print(out, total);
        if (costs.cpu() != null) {
            costs.cpu().print(out, total.attempts());
        }
        if (costs.log() != null) {
            costs.log().print(out);
        }
        if (stepMode()) {
            steps.forEach(step -> out.printf(
                    "  step %6.0f req/s   200s %6.0f/s   p50 %7.1f  p95 %7.1f  p99 %7.1f ms   %s%n", step.rate(),
                    step.admittedPerSecond(), step.answers().p50Millis(), step.answers().p95Millis(),
                    step.answers().p99Millis(), step.held() ? "held" : "missed"));
            out.println(highestHeld == null ? "  no step held p95 <= " + p95Limit.toMillis() + " ms"
                    : String.format("  highest rate holding p95 <= %d ms: %.0f requests/s", p95Limit.toMillis(),
                            highestHeld.rate()));
        }
        out.printf("  health after the run %.1f ms%n", healthAfterRunMillis);
        out.println(reconciliation.describe());
        Map<String, Object> json = json(total, elapsed, reportFile, maxInFlight);
        HtmlReport.write(reportFile, title(), json, total, markers(), stepRows());
        out.println("Report: " + reportFile.toAbsolutePath());
        out.println(Json.mapper().writeValueAsString(json));
        out.flush();
    }

    private String title() {
        return "huddle-ingest load test: " + learners + " learners, " + (stepMode() ? "rate steps"
                : String.format("%.0f requests/s for %d s", steps.get(0).rate(), steps.get(0).duration().toSeconds()));
    }

    private Map<String, Object> json(LatencyRecorder.Summary total, double elapsed, Path reportFile, int maxInFlight) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("requests", total.attempts());
        json.put("rps", Math.round(total.attempts() / elapsed));
        json.put("p50Ms", round1(total.p50Millis()));
        json.put("p95Ms", round1(total.p95Millis()));
        json.put("p99Ms", round1(total.p99Millis()));
        json.put("maxMs", round1(total.maxMillis()));
        json.put("status", total.statuses());
        if (!total.failures().isEmpty()) {
            json.put("noAnswer", total.failures());
        }
        json.put("eventsPlanned", reconciliation.planned());
        json.put("eventsSent", reconciliation.generated());
        json.put("accepted", reconciliation.accepted());
        json.put("duplicates", reconciliation.duplicates());
        json.put("rejected", reconciliation.rejected());
        json.put("notDelivered", reconciliation.notDelivered());
        json.put("retries", total.retries());
        json.put("admitted", total.admitted().getTotalCount());
        json.put("admittedP99Ms", round1(LatencyRecorder.percentileMillis(total.admitted(), 99)));
        json.put("admittedPerSecond", Math.round(admittedPerSecond()));
        json.put("shed", total.shed().getTotalCount());
        json.put("shedP99Ms", round1(LatencyRecorder.percentileMillis(total.shed(), 99)));
        json.put("shedMaxMs", round1(maxMillis(total.shed())));
        json.put("retriedAndDelivered", total.counts().retriedAndDelivered);
        json.put("joinedRetry", total.counts().joinedRequests);
        json.put("notDeliveredRequests", total.counts().notDeliveredRequests);
        json.put("droppedByGenerator", total.counts().droppedRequests);
        json.put("droppedEvents", total.counts().droppedEvents);
        json.put("maxInFlight", maxInFlight);
        json.put("healthAfterRunMs", round1(healthAfterRunMillis));
        json.put("queueLagAnswers", total.lagAnswers());
        if (!total.handler().isEmpty()) {
            json.put("handler", HandlerTimings.json(total));
        }
        if (costs.cpu() != null) {
            json.put("cpu", costs.cpu().json(total.attempts()));
        }
        if (costs.log() != null) {
            json.put("functionsLog", costs.log().json());
        }
        json.put("rowsInDatabase", reconciliation.rowsInDatabase());
        json.put("lost", reconciliation.lost());
        if (stepMode()) {
            json.put("p95LimitMs", p95Limit.toMillis());
            json.put("maxRateHeld", highestHeld == null ? null : Math.round(highestHeld.rate()));
            json.put("steps", stepRows());
        }
        json.put("report", reportFile.toAbsolutePath().toString());
        return json;
    }

    private List<Map<String, Object>> stepRows() {
        List<Map<String, Object>> rows = new ArrayList<>();
        if (!stepMode()) {
            return rows;
        }
        for (Step step : steps) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("rate", Math.round(step.rate()));
            row.put("rps", Math.round(step.rps()));
            row.put("admittedPerSecond", Math.round(step.admittedPerSecond()));
            row.put("p50Ms", round1(step.answers().p50Millis()));
            row.put("p95Ms", round1(step.answers().p95Millis()));
            row.put("p99Ms", round1(step.answers().p99Millis()));
            row.put("held", step.held());
            rows.add(row);
        }
        return rows;
    }

    /** Outage moments, or where each step began. */
    private List<Map<String, Object>> markers() {
        List<Map<String, Object>> markers = new ArrayList<>();
        actions.forEach(action -> markers.add(Map.of("t", action.at().toMillis() / 1000.0, "label", action.label())));
        if (stepMode()) {
            long offset = 0;
            for (Step step : steps) {
                markers.add(Map.of("t", offset, "label", Math.round(step.rate()) + "/s"));
                offset += secondsOnChart(step);
            }
        }
        return markers;
    }

    /** {@link Step#admittedPerSecond()} over every step. */
    private double admittedPerSecond() {
        long admitted = steps.stream().mapToLong(step -> step.answers().counts().admittedWhilePlanRan).sum();
        double seconds = steps.stream().mapToDouble(step -> step.duration().toNanos() / 1e9).sum();
        return admitted / seconds;
    }

    /** All steps' answers as one: counts summed, histograms added, each step's seconds after the previous. */
    private LatencyRecorder.Summary total() {
        LatencyRecorder.Summary total = steps.get(0).answers();
        long offset = secondsOnChart(steps.get(0));
        for (Step step : steps.subList(1, steps.size())) {
            total = total.plus(step.answers(), offset);
            offset += secondsOnChart(step);
        }
        return total;
    }

    private static long secondsOnChart(Step step) {
        return (long) Math.ceil(step.elapsedSeconds());
    }

    private static double maxMillis(Histogram histogram) {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getMaxValue() / 1000.0;
    }

    private static double round1(double value) {
        return Math.round(value * 10) / 10.0;
    }

}
