package dev.huddle.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private static final Duration BASE = Duration.ofSeconds(1);
    private static final Duration CAP = Duration.ofSeconds(16);

    @Test
    void lowestDraw_isHalfTheCeiling() {
        Backoff backoff = new Backoff(BASE, CAP, bound -> 0);

        assertThat(backoff.delay(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(backoff.delay(2)).isEqualTo(Duration.ofMillis(1_000));
        assertThat(backoff.delay(3)).isEqualTo(Duration.ofMillis(2_000));
    }

    @Test
    void highestDraw_isTheCeiling_whichDoublesUpToTheCap() {
        Backoff backoff = new Backoff(BASE, CAP, bound -> bound - 1);

        assertThat(backoff.delay(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.delay(4)).isEqualTo(Duration.ofSeconds(8));
        assertThat(backoff.delay(5)).isEqualTo(CAP);
        assertThat(backoff.delay(50)).isEqualTo(CAP);
    }

    @Test
    void randomDelays_stayWithinHalfToFullCeiling() {
        Backoff backoff = new Backoff(BASE, CAP, bound -> ThreadLocalRandom.current().nextLong(bound));

        for (int attempt = 1; attempt <= 8; attempt++) {
            long ceiling = Math.min(CAP.toMillis(), BASE.toMillis() << (attempt - 1));
            for (int draw = 0; draw < 200; draw++) {
                assertThat(backoff.delay(attempt).toMillis()).isBetween(ceiling / 2, ceiling);
            }
        }
    }

    @Test
    void refusesAttemptZero() {
        assertThatThrownBy(() -> new Backoff(BASE, CAP, bound -> 0).delay(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("attempt must be >= 1: 0");
    }
}
