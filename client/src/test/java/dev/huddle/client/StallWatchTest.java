package dev.huddle.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The pause rule with explicit instants: three 403/404 in a row pause, a probe follows, a verdict resumes. */
class StallWatchTest {
    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    private static final Duration PAUSE = Duration.ofMinutes(5);

    private final StallWatch stall = new StallWatch(QueueName.PROGRESS, PAUSE);

    @Test
    void threeBlockedAnswersInARow_pause_untilThePauseEnds() {
        stall.onKept(blocked(404), T0, 7);
        stall.onKept(blocked(403), T0.plusSeconds(1), 7);
        assertThat(stall.pausedAt(T0.plusSeconds(2))).as("two are not yet persistent").isEmpty();

        DeliveryError third = stall.onKept(blocked(404), T0.plusSeconds(3), 7);

        assertThat(third.paused()).isTrue();
        assertThat(third.pausedUntil()).isEqualTo(T0.plusSeconds(3).plus(PAUSE));
        assertThat(third.consecutiveFailures()).isEqualTo(3);
        assertThat(third.stalledSince()).isEqualTo(T0);
        assertThat(third.queuedEvents()).isEqualTo(7);
        assertThat(stall.pausedAt(T0.plusSeconds(3).plus(PAUSE).minusMillis(1))).isPresent();
        assertThat(stall.pausedAt(T0.plusSeconds(3).plus(PAUSE))).as("then one probe may go").isEmpty();
    }

    @Test
    void aBlockedProbe_pausesAgain_andAVerdictResumes() {
        for (int i = 0; i < 3; i++) {
            stall.onKept(blocked(404), T0, 1);
        }
        Instant probe = T0.plus(PAUSE);

        assertThat(stall.onKept(blocked(404), probe, 1).pausedUntil()).isEqualTo(probe.plus(PAUSE));
        stall.onVerdict();

        assertThat(stall.pausedAt(probe)).isEmpty();
        assertThat(stall.stalledSince()).isEmpty();
        assertThat(stall.failures()).isZero();
        assertThat(stall.lastError()).as("kept for diagnosis").isPresent();
    }

    @Test
    void anotherFailureInBetween_restartsTheCount() {
        stall.onKept(blocked(404), T0, 1);
        stall.onKept(blocked(404), T0, 1);
        stall.onKept(BatchResult.kept(503, BatchResult.Outcome.RETRY, "HTTP 503 service_unavailable", Duration.ZERO,
                Duration.ZERO, Duration.ZERO), T0, 1);

        assertThat(stall.onKept(blocked(404), T0, 1).paused()).isFalse();
        assertThat(stall.failures()).as("the backoff still counts every failure").isEqualTo(4);
    }

    private static BatchResult blocked(int status) {
        return BatchResult.kept(status, BatchResult.Outcome.BLOCKED, "HTTP " + status, Duration.ZERO, Duration.ZERO,
                Duration.ZERO);
    }
}
