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
 * interval comes back down to the minimum.
 */
class AdaptiveIntervalTest {
    private static final String LEARNER = "learner-3997"; // org-1: assigned course-101
    private static final Duration MIN = Duration.ofMillis(300);
    private static final Duration MAX = Duration.ofSeconds(3);
    /**
     * Where the interval starts and must come back to: the same bar before and after the slow phase, since on
     * a busy machine the round trips themselves (not only the injected latency) stretch the interval a little.
     */
    private static final Duration NEAR_MINIMUM = MIN.multipliedBy(2);

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
            await("a fast round trip at the minimum interval").atMost(Duration.ofSeconds(60))
                    .until(() -> trackAndObserve(client).lastLatency().compareTo(Duration.ofMillis(0)) > 0
                            && client.getQueueStats().currentInterval().compareTo(NEAR_MINIMUM) < 0);

            stack.proxy().latency(Duration.ofMillis(250));
            await("the interval stretched while the database is slow").atMost(Duration.ofSeconds(60))
                    .until(() -> trackAndObserve(client).currentInterval().compareTo(Duration.ofMillis(1_500)) > 0);
            QueueStats slow = client.getQueueStats();

            stack.proxy().latency(Duration.ZERO);
            await("the interval back near the minimum after recovery").atMost(Duration.ofSeconds(90))
                    .until(() -> trackAndObserve(client).currentInterval().compareTo(NEAR_MINIMUM) < 0);

            assertThat(slow.lastLatency()).isGreaterThan(Duration.ofMillis(250));
            assertThat(slow.currentInterval()).isLessThanOrEqualTo(MAX);
            assertThat(rejected).isEmpty();
            assertThat(client.close(Duration.ofSeconds(30))).as("drained").isTrue();
        } finally {
            client.close(Duration.ZERO);
        }
    }

    /** Keeps the queue fed so every tick sends something, and returns what the client reports. */
    private QueueStats trackAndObserve(HuddleClient client) {
        if (client.getQueueStats().progressDepth() < 20) {
            client.trackProgress(ProgressEvent.of(ProgressEvent.Type.LESSON_PROGRESS, "course-101",
                    "course-101-lesson-02", 30, 5, Instant.now()));
        }
        return client.getQueueStats();
    }
}
