package dev.huddle.perf.loadtest;

import dev.huddle.client.AnalyticsEvent;
import dev.huddle.client.HuddleClient;
import dev.huddle.client.ProgressEvent;
import dev.huddle.client.QueueStats;
import dev.huddle.sql.DemoData;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code loadtest --clients K}: instead of the open-model generator, K learners each run the real
 * {@link HuddleClient} (its own durable queue directory, one shared HttpClient) and track one progress and
 * one analytics event every {@code trackEvery}. It shows what the library does under a slow or failing
 * database: the clients' adaptive intervals (sampled every second), their backlog, and at the end, after
 * every client drained and closed, the reconciliation of events tracked against rows in the database.
 */
final class ClientsDriver {
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(1);
    private static final Duration PRINT_EVERY = Duration.ofSeconds(5);

    /** What a run of the clients produced; intervals are the clients' currentInterval, in milliseconds. */
    record Result(int clients, long tracked, long refusedByFullQueue, long rejected, long rowsInDatabase,
            long firstMedianIntervalMs, long peakMedianIntervalMs, long peakMaxIntervalMs, long lastMedianIntervalMs,
            boolean allDrained) {
        long lost() {
            return tracked - rejected - rowsInDatabase;
        }
    }

    private final LoadTarget stack;
    private final LearnerTokens tokens;
    private final PrintStream progress;

    ClientsDriver(LoadTarget stack, LearnerTokens tokens, PrintStream progress) {
        this.stack = stack;
        this.tokens = tokens;
        this.progress = progress;
    }

    Result run(int clientCount, Duration duration, Duration trackEvery, String runId, List<TimedAction> actions,
            Duration drainDeadline) throws IOException, InterruptedException, SQLException {
        Path queues = Files.createTempDirectory("huddle-loadtest-clients");
        AtomicLong tracked = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        List<HuddleClient> clients = new ArrayList<>(clientCount);
        for (int n = 1; n <= clientCount; n++) {
            DemoData.Learner learner = DemoData.learner(n);
            clients.add(HuddleClient.builder(stack.baseUrl())
                    .tokenSupplier(() -> tokens.of(learner))
                    .queueDirectory(queues.resolve(learner.userId()))
                    .httpClient(http)
                    .fsyncEachEvent(false)  // survives a killed process, not a power cut: enough for a load test
                    .onRejected(events -> rejected.addAndGet(events.size()))
                    .build());
        }
        progress.printf("%d clients (HuddleClient), each tracking a progress and an analytics event every %d ms,"
                + " for %d s%n", clientCount, trackEvery.toMillis(), duration.toSeconds());

        List<Long> medians = new ArrayList<>();
        AtomicLong peakMax = new AtomicLong();
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, runnable ->
                Thread.ofPlatform().daemon().name("loadtest-clients").unstarted(runnable));
        long started = System.nanoTime();
        try {
            AtomicLong tick = new AtomicLong();
            timer.scheduleAtFixedRate(() -> {
                long t = tick.getAndIncrement();
                for (int i = 0; i < clients.size(); i++) {
                    track(clients.get(i), DemoData.learner(i + 1), runId, t, tracked, refused);
                }
            }, 0, trackEvery.toMillis(), TimeUnit.MILLISECONDS);
            timer.scheduleAtFixedRate(() -> {
                long[] intervals = clients.stream().map(HuddleClient::getQueueStats)
                        .mapToLong(stats -> stats.currentInterval().toMillis()).sorted().toArray();
                synchronized (medians) {
                    medians.add(intervals[intervals.length / 2]);
                }
                peakMax.accumulateAndGet(intervals[intervals.length - 1], Math::max);
            }, SAMPLE_EVERY.toMillis(), SAMPLE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            timer.scheduleAtFixedRate(() -> printProgress(clients, started, tracked.get()),
                    PRINT_EVERY.toMillis(), PRINT_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            for (TimedAction action : actions) {
                timer.schedule(() -> {
                    progress.printf("%6.1fs  %s%n", seconds(started), action.label());
                    action.action().run();
                }, action.at().toMillis(), TimeUnit.MILLISECONDS);
            }
            Thread.sleep(duration.toMillis());  // the run itself: the timer does the work
        } finally {
            // shutdown, not shutdownNow: an interrupt during track() would close a queue's file channel.
            // The periodic tasks stop; one that is running finishes its tick.
            timer.shutdown();
            timer.awaitTermination(30, TimeUnit.SECONDS);
        }
        progress.printf("%6.1fs  tracking stopped; draining and closing the clients (deadline %d s)%n",
                seconds(started), drainDeadline.toSeconds());
        boolean allDrained = clients.parallelStream().map(client -> client.close(drainDeadline))
                .reduce(true, Boolean::logicalAnd);
        long rows = Reconciliation.countRows(stack.database(), runId);
        deleteQuietly(queues);
        List<Long> sampled;
        synchronized (medians) {
            sampled = List.copyOf(medians);
        }
        long first = sampled.isEmpty() ? 0 : sampled.getFirst();
        long last = sampled.isEmpty() ? 0 : sampled.getLast();
        long peak = sampled.stream().max(Comparator.naturalOrder()).orElse(0L);
        return new Result(clientCount, tracked.get(), refused.get(), rejected.get(), rows, first, peak, peakMax.get(),
                last, allDrained);
    }

    private static void track(HuddleClient client, DemoData.Learner learner, String runId, long tick,
            AtomicLong tracked, AtomicLong refused) {
        Instant now = Instant.now();
        String course = learner.courseId((int) (tick % DemoData.COURSES_PER_ORG));
        String id = runId + "c" + learner.number() + "-" + tick;
        boolean progressQueued = client.trackProgress(new ProgressEvent(id + "-p", ProgressEvent.Type.LESSON_PROGRESS,
                course, DemoData.lessonId(course, (int) (tick % DemoData.LESSONS_PER_COURSE)),
                tick % 101, 30, now));
        boolean analyticsQueued = client.trackAnalytics(new AnalyticsEvent(id + "-a", "video_played", course, null,
                Map.of("tick", tick), now));
        for (boolean queued : new boolean[] {progressQueued, analyticsQueued}) {
            (queued ? tracked : refused).incrementAndGet();
        }
    }

    private void printProgress(List<HuddleClient> clients, long started, long tracked) {
        List<QueueStats> stats = clients.stream().map(HuddleClient::getQueueStats).toList();
        long[] intervals = stats.stream().mapToLong(s -> s.currentInterval().toMillis()).sorted().toArray();
        long backlog = stats.stream().mapToLong(QueueStats::totalDepth).sum();
        progress.printf("%6.1fs  tracked %,d  backlog %,d  interval ms min/median/max %d/%d/%d%n", seconds(started),
                tracked, backlog, intervals[0], intervals[intervals.length / 2], intervals[intervals.length - 1]);
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    private static void deleteQuietly(Path directory) {
        try (var paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // A leftover temp directory is not worth failing the run for.
        }
    }
}
