package dev.huddle.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AdaptiveIntervalTest {
    private static final Duration MIN = Duration.ofSeconds(1);
    private static final Duration MAX = Duration.ofSeconds(8);
    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

    private final AdaptiveInterval interval = new AdaptiveInterval(MIN, MAX);

    @Test
    void startsAtTheMinimum() {
        assertThat(interval.current()).isEqualTo(MIN);
        assertThat(interval.nextDelay(NOW)).isEqualTo(MIN);
    }

    @Test
    void staysAtTheMinimum_whenResponsesAreFastAndCarryNoLag() {
        for (int i = 0; i < 10; i++) {
            answer(Duration.ofMillis(10), Duration.ZERO);
        }

        assertThat(interval.current()).isBetween(MIN, Duration.ofMillis(1_050));
    }

    @Test
    void rises_whenTheServerIsSlow() {
        answer(Duration.ofMillis(10), Duration.ZERO);
        answer(Duration.ofMillis(600), Duration.ZERO);
        Duration afterOneSlow = interval.current();
        answer(Duration.ofMillis(600), Duration.ZERO);
        answer(Duration.ofMillis(600), Duration.ZERO);

        assertThat(afterOneSlow).isGreaterThan(Duration.ofMillis(1_500));
        assertThat(interval.current()).isGreaterThan(afterOneSlow);
    }

    @Test
    void addsTheServersQueueLag() {
        answer(Duration.ofMillis(10), Duration.ofMillis(2_000));

        assertThat(interval.current()).isEqualTo(Duration.ofMillis(1_000 + 4 * 10 + 2_000));
    }

    @Test
    void fallsBackToTheMinimum_afterTheServerRecovers() {
        for (int i = 0; i < 5; i++) {
            answer(Duration.ofMillis(800), Duration.ofMillis(1_500));
        }
        Duration slow = interval.current();

        for (int i = 0; i < 15; i++) {
            answer(Duration.ofMillis(5), Duration.ZERO);
        }

        assertThat(slow).isGreaterThanOrEqualTo(Duration.ofSeconds(5));
        assertThat(interval.current()).isLessThan(Duration.ofMillis(1_100));
    }

    @Test
    void comesDownGradually_notInOneStep() {
        answer(Duration.ofMillis(5), Duration.ofSeconds(10));

        answer(Duration.ofMillis(5), Duration.ZERO);

        assertThat(interval.current()).isEqualTo(MAX.dividedBy(2));
    }

    @Test
    void neverExceedsTheMaximum() {
        answer(Duration.ofSeconds(20), Duration.ofSeconds(30));

        assertThat(interval.current()).isEqualTo(MAX);
    }

    @Test
    void honoursRetryAfter_evenWhenTheIntervalIsShorter() {
        interval.onAnswer(Duration.ofMillis(5), Duration.ZERO, Duration.ofSeconds(20), NOW);

        assertThat(interval.notBefore()).isEqualTo(NOW.plusSeconds(20));
        assertThat(interval.nextDelay(NOW)).isEqualTo(Duration.ofSeconds(20));
        assertThat(interval.nextDelay(NOW.plusSeconds(19))).isEqualTo(interval.current());
    }

    @Test
    void aLaterShorterRetryAfter_doesNotShortenTheHold() {
        interval.holdUntil(NOW.plusSeconds(30));
        interval.onAnswer(Duration.ofMillis(5), Duration.ZERO, Duration.ofSeconds(2), NOW.plusSeconds(1));

        assertThat(interval.notBefore()).isEqualTo(NOW.plusSeconds(30));
    }

    @Test
    void refusesAMaximumBelowTheMinimum() {
        assertThatThrownBy(() -> new AdaptiveInterval(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxInterval PT1S < minInterval PT2S");
    }

    private void answer(Duration latency, Duration lag) {
        interval.onAnswer(latency, lag, Duration.ZERO, NOW);
    }
}
