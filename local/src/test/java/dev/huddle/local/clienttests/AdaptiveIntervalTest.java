package dev.huddle.local.clienttests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.huddle.client.HuddleClient;
import dev.huddle.client.ProgressEvent;
import dev.huddle.client.QueueStats;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against the real local stack: when the database gets slow the server's latency rises and its
 * answers carry X-Client-Queue-Lag, so the client stretches its interval; when the database recovers the
 * interval comes back down.
 *
 * <p>Every bar is relative to the interval measured on this machine before the slow phase, and the injected
 * latency is scaled to that baseline: on a loaded machine the round trips themselves stretch the interval
 * (300 ms + 4 × a 2 s round trip is already 8 s), so absolute bars would test the machine, not the client.
 */
class AdaptiveIntervalTest {
    private static final String LEARNER = "learner-3997"; // org-1: assigned course-101
    private static final Duration MIN = Duration.ofMillis(300);
    /** High enough that neither the baseline nor the slow phase is clamped, so both stay measurable. */
    private static final Duration MAX = Duration.ofSeconds(60);
    private static final Duration WAIT = Duration.ofSeconds(180);

    @TempDir
    Path queueDirectory;

    private final ClientTestStack stack = ClientTestStack.get();

    @AfterEach
    void databaseFastAgain() {
        stack.proxy().latency(Duration.ZERO);
    }

    @Test
    void intervalRises_whenTheDatabaseIsSlow_andFallsBack_whenItRecovers() {
        String token = stack.token(LEARNER);
        List<String> rejected = new CopyOnWriteArrayList<>();
        HuddleClient client = HuddleClient.builder(stack.baseUrl())
                .tokenSupplier(() -> token)
                .queueDirectory(queueDirectory)
                .minInterval(MIN)
                .maxInterval(MAX)
                .onRejected(events -> events.forEach(event -> rejected.add(event.reason())))
                .build();
        try {
            for (int round = 1; round <= 3; round++) {
                track(client);
                await("answer " + round + " at the database's normal speed").atMost(WAIT)
                        .until(() -> client.getQueueStats().progressDepth() == 0);
            }
            Duration baseline = client.getQueueStats().currentInterval();
            // The baseline's latency share is (interval - min) / 4: the added delay is at least four times
            // it, so a load that changes between the phases cannot hide the rise or fake the recovery.
            Duration added = max(Duration.ofSeconds(1), baseline.minus(MIN));
            Duration riseBar = baseline.plus(added.multipliedBy(2));
            Duration recoveryBar = baseline.plus(added);

            stack.proxy().latency(added);
            await("the interval above " + riseBar + " (baseline " + baseline + " + 2 x " + added
                    + ") while the database is slow").atMost(WAIT)
                    .until(() -> trackAndObserve(client).currentInterval().compareTo(riseBar) > 0);
            QueueStats slow = client.getQueueStats();

            stack.proxy().latency(Duration.ZERO);
            await("the interval back under " + recoveryBar + " after recovery").atMost(WAIT)
                    .until(() -> trackAndObserve(client).currentInterval().compareTo(recoveryBar) < 0);

            assertThat(slow.lastLatency()).as("a slow round trip was measured").isGreaterThanOrEqualTo(added);
            assertThat(slow.currentInterval()).isLessThanOrEqualTo(MAX);
            assertThat(rejected).isEmpty();
            assertThat(client.close(Duration.ofSeconds(60))).as("drained").isTrue();
        } finally {
            client.close(Duration.ZERO);
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** Keeps the queue fed so every tick sends something, and returns what the client reports. */
    private QueueStats trackAndObserve(HuddleClient client) {
        if (client.getQueueStats().progressDepth() < 20) {
            track(client);
        }
        return client.getQueueStats();
    }

    private static void track(HuddleClient client) {
        client.trackProgress(ProgressEvent.of(ProgressEvent.Type.LESSON_PROGRESS, "course-101",
                "course-101-lesson-02", 30, 5, Instant.now()));
    }
}
