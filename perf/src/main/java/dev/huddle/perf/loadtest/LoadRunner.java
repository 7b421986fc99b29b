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
    private final Duration warmUp;
    private final PrintStream progress;

    LoadRunner(OpenModelDriver driver, int learners, int eventsPerRequest, long seed, String runId, Duration warmUp,
            PrintStream progress) {
        this.driver = driver;
        this.learners = learners;
        this.eventsPerRequest = eventsPerRequest;
        this.seed = seed;
        this.runId = runId;
        this.warmUp = warmUp;
        this.progress = progress;
    }

    /**
     * {@code --rate}: the warm-up, then the measured run, back to back. Only the measured run's answers and
     * events are reported and reconciled (the warm-up's events have an id prefix of their own).
     *
     * @param measuredStarts runs (on the driver's timer thread) when the measured run starts
     */
    LoadResult single(double rate, Duration duration, List<TimedAction> actions, Duration drainTimeout,
            Runnable measuredStarts) throws InterruptedException {
        LoadResult.Step step = run(rate, duration, runId, actions, drainTimeout, true, measuredStarts);
        return LoadResult.single(learners, step, actions);
    }

    /**
     * Raises the rate by {@code factor} per step until a step misses the p95 limit or loses requests. The
     * warm-up runs into the first step; each later step starts after the one before has drained, so that
     * step can be judged on its own.
     */
    LoadResult findMax(double firstRate, Duration stepDuration, double factor, double maxRate, Duration p95Limit,
            Runnable measuredStarts) throws InterruptedException {
        List<LoadResult.Step> steps = new ArrayList<>();
        LoadResult.Step highestHeld = null;
        for (double rate = firstRate; rate <= maxRate; rate *= factor) {
            LoadResult.Step step = run(Math.round(rate), stepDuration, runId + "s" + steps.size() + "-", List.of(),
                    OpenModelDriver.REQUEST_TIMEOUT.plusSeconds(30), steps.isEmpty(), steps.isEmpty() ? measuredStarts
                            : () -> { });
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

    /**
     * One measured plan, after the warm-up's plans if {@code afterWarmUp} (the first run of a command), on one
     * clock: the warm-up sends the scenario without counting it, so that JIT compilation, the functions'
     * execution environments, connections and the learners' own backoffs reach the steady state that warm
     * Lambda containers and real clients are in (the cold start is measured separately). Its rate ramps up
     * in four equal parts (25, 50, 75, 100 %): a cold JVM hit with the full rate at once falls behind, and the
     * backlog it builds (and the rollups of it) would still weigh on the measured run. The measured plan
     * follows without a pause: after a drain, every learner's queue would start empty and the run's first
     * seconds would be a step from idle (OpenModelDriver). {@code actions} are timed from the measured plan's
     * start, and so is {@code measuredStarts}, which runs on the driver's timer thread.
     */
    private LoadResult.Step run(double rate, Duration duration, String eventIdPrefix, List<TimedAction> actions,
            Duration drainTimeout, boolean afterWarmUp, Runnable measuredStarts) throws InterruptedException {
        List<PlanSpec> specs = new ArrayList<>();
        List<TimedAction> timed = new ArrayList<>();
        Duration warmUpLength = Duration.ZERO;
        if (afterWarmUp && !warmUp.isZero()) {
            progress.printf("Warm-up for %d s, ramping up to %.0f requests/s (not counted), then the measured run%n",
                    warmUp.toSeconds(), rate);
            String prefix = runId.replaceFirst("^lt-", "lw-");
            Duration part = warmUp.dividedBy(WARM_UP_PARTS);
            for (int i = 1; i <= WARM_UP_PARTS; i++) {
                String name = "warm-up " + i + "/" + WARM_UP_PARTS;
                specs.add(new PlanSpec(name, rate * i / WARM_UP_PARTS, part, prefix + i + "-"));
                timed.add(new TimedAction(warmUpLength, name + " starts", () -> { }));
                warmUpLength = warmUpLength.plus(part);
            }
        }
        specs.add(new PlanSpec("Measured run", rate, duration, eventIdPrefix));
        timed.add(new TimedAction(warmUpLength, "measured run starts", measuredStarts));
        // All of them are in memory at once: the warm-up's parts no longer end before the next is built.
        LoadPlan.requireWithinMemory(specs.stream()
                .mapToLong(spec -> LoadPlan.expectedRequests(spec.rate(), spec.duration())).sum());
        List<LoadPlan> plans = specs.stream().map(this::plan).toList();
        for (TimedAction action : actions) {
            timed.add(new TimedAction(action.at().plus(warmUpLength), action.label(), action.action()));
        }
        // Collect now, so the plans' bodies are promoted before the clock starts instead of being copied by
        // the young collections of the run's first seconds (the stack runs in its own JVM since issue 9).
        System.gc();
        long started = System.nanoTime();
        List<LatencyRecorder.Summary> answers = driver.run(plans, timed, drainTimeout);
        // The measured plan and its drain: the warm-up's parts take exactly their durations.
        double elapsedSeconds = (System.nanoTime() - started - warmUpLength.toNanos()) / 1e9;
        for (int i = 0; i < plans.size() - 1; i++) {
            LatencyRecorder.Summary part = answers.get(i);
            progress.printf("Warm-up %d/%d: p50 %.1f ms, p95 %.1f ms, shed p99 %.1f ms, %s%n", i + 1, WARM_UP_PARTS,
                    part.p50Millis(), part.p95Millis(), LatencyRecorder.percentileMillis(part.shed(), 99),
                    OpenModelDriver.statusText(part.statuses()));
        }
        LoadPlan measured = plans.get(plans.size() - 1);
        return new LoadResult.Step(rate, duration, measured.events(), answers.get(plans.size() - 1), elapsedSeconds,
                true);
    }

    /** A plan to build: its name in the progress lines, its rate, length and event id prefix. */
    private record PlanSpec(String name, double rate, Duration duration, String eventIdPrefix) {
    }

    private LoadPlan plan(PlanSpec spec) {
        LoadPlan plan = LoadPlan.build(learners, spec.rate(), spec.duration(), eventsPerRequest, spec.eventIdPrefix(),
                seed);
        progress.printf("%s: %,d requests (%,d events) in %d s at %.0f requests/s; each of %,d learners flushes"
                + " progress + analytics every %.1f s%n", spec.name(), plan.requests().size(), plan.events(),
                spec.duration().toSeconds(), spec.rate(), learners,
                LoadPlan.flushPeriod(learners, spec.rate()).toMillis() / 1000.0);
        return plan;
    }
}
