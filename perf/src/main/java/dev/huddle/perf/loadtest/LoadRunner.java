package dev.huddle.perf.loadtest;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Plans and drives one run, or the steps of {@code --find-max}. */
final class LoadRunner {
    private static final int WARM_UP_PARTS = 4;

    private final OpenModelDriver driver;
    private final int learners;
    private final int eventsPerRequest;
    private final long seed;
    private final String runId;
    private final PrintStream progress;

    LoadRunner(OpenModelDriver driver, int learners, int eventsPerRequest, long seed, String runId,
            PrintStream progress) {
        this.driver = driver;
        this.learners = learners;
        this.eventsPerRequest = eventsPerRequest;
        this.seed = seed;
        this.runId = runId;
        this.progress = progress;
    }

    /**
     * Sends the scenario for a while without counting it: JIT compilation, the functions' execution
     * environments and connections warm up, so the measured run shows the steady state that warm Lambda
     * containers serve (the cold start is measured separately). The rate ramps up in four equal parts
     * (25, 50, 75, 100 %): a cold JVM hit with the full rate at once falls behind, and the backlog it
     * builds (and the rollups of it) would still weigh on the measured run. Its events have their own
     * id prefix.
     */
    void warmUp(double rate, Duration duration) throws InterruptedException {
        if (duration.isZero()) {
            return;
        }
        progress.printf("Warm-up for %d s, ramping up to %.0f requests/s (not counted)%n", duration.toSeconds(), rate);
        String prefix = runId.replaceFirst("^lt-", "lw-");
        Duration part = duration.dividedBy(WARM_UP_PARTS);
        for (int i = 1; i <= WARM_UP_PARTS; i++) {
            LoadResult.Step step = run(rate * i / WARM_UP_PARTS, part, prefix + i + "-", List.of(),
                    OpenModelDriver.REQUEST_TIMEOUT.plusSeconds(30));
            progress.printf("Warm-up %d/%d: p50 %.1f ms, p95 %.1f ms, %s%n", i, WARM_UP_PARTS,
                    step.answers().p50Millis(), step.answers().p95Millis(),
                    OpenModelDriver.statusText(step.answers().statuses()));
        }
        progress.println();
    }

    LoadResult single(double rate, Duration duration, List<TimedAction> actions, Duration drainTimeout)
            throws InterruptedException {
        LoadResult.Step step = run(rate, duration, runId, actions, drainTimeout);
        return LoadResult.single(learners, step, actions);
    }

    /** Raises the rate by {@code factor} per step until a step misses the p95 limit or loses requests. */
    LoadResult findMax(double firstRate, Duration stepDuration, double factor, double maxRate, Duration p95Limit)
            throws InterruptedException {
        List<LoadResult.Step> steps = new ArrayList<>();
        LoadResult.Step highestHeld = null;
        for (double rate = firstRate; rate <= maxRate; rate *= factor) {
            LoadResult.Step step = run(Math.round(rate), stepDuration, runId + "s" + steps.size() + "-", List.of(),
                    OpenModelDriver.REQUEST_TIMEOUT.plusSeconds(30));
            boolean held = step.answers().p95Millis() <= p95Limit.toMillis() && step.answers().notDelivered() == 0;
            step = step.judged(held);
            steps.add(step);
            progress.printf("Step %d: %.0f requests/s -> p95 %.1f ms, p99 %.1f ms, 200s %.0f/s: %s%n", steps.size(),
                    step.rate(), step.answers().p95Millis(), step.answers().p99Millis(), step.admittedPerSecond(),
                    held ? "held" : "missed");
            if (!held) {
                break;
            }
            highestHeld = step;
        }
        return LoadResult.steps(learners, steps, highestHeld, p95Limit);
    }

    private LoadResult.Step run(double rate, Duration duration, String eventIdPrefix, List<TimedAction> actions,
            Duration drainTimeout) throws InterruptedException {
        LoadPlan plan = LoadPlan.build(learners, rate, duration, eventsPerRequest, eventIdPrefix, seed);
        progress.printf("Plan: %,d requests (%,d events) in %d s at %.0f requests/s; each of %,d learners flushes"
                + " progress + analytics every %.1f s%n", plan.requests().size(), plan.events(),
                duration.toSeconds(), rate, learners, LoadPlan.flushPeriod(learners, rate).toMillis() / 1000.0);
        // Collect now, so the plan's bodies are promoted before the clock starts instead of being copied by
        // the young collections of the run's first seconds (the stack runs in its own JVM since issue 9).
        System.gc();
        long start = System.nanoTime();
        LatencyRecorder.Summary answers = driver.run(plan, actions, drainTimeout);
        double elapsedSeconds = (System.nanoTime() - start) / 1e9;
        return new LoadResult.Step(rate, duration, plan.events(), answers, elapsedSeconds, true);
    }
}
