package dev.huddle.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GcraTest {

    private static final long NOW = 1_700_000_000_000L;
    /** 5 per second, burst 10: interval 200 ms, tolerance 1800 ms. */
    private final Gcra gcra = Gcra.of(5, 10);

    @Test
    void derivesIntervalAndTolerance_fromRateAndBurst() {
        assertThat(gcra.intervalMillis()).isEqualTo(200);
        assertThat(gcra.toleranceMillis()).isEqualTo(1800);
        assertThat(Gcra.of(3, 1)).isEqualTo(new Gcra(333, 0));
        assertThat(Gcra.of(5000, 2).intervalMillis()).isEqualTo(1);
    }

    @Test
    void admitsExactlyBurst_whenRequestsArriveAtOnceOnAnIdleBucket() {
        long tat = TatCache.UNKNOWN;
        int admitted = 0;
        while (gcra.admits(tat, NOW)) {
            tat = gcra.afterAdmission(tat, NOW);
            admitted++;
        }
        assertThat(admitted).isEqualTo(10);
        assertThat(tat).isEqualTo(NOW + 10 * 200);
    }

    @Test
    void admitsOnePerInterval_afterTheBurstIsSpent() {
        long tat = NOW + 10 * 200; // burst spent at NOW
        assertThat(gcra.admits(tat, NOW + 199)).isFalse();
        assertThat(gcra.admits(tat, NOW + 200)).isTrue();
        tat = gcra.afterAdmission(tat, NOW + 200);
        assertThat(gcra.admits(tat, NOW + 200)).isFalse();
        assertThat(gcra.admits(tat, NOW + 399)).isFalse();
        assertThat(gcra.admits(tat, NOW + 400)).isTrue();
    }

    @Test
    void refillsTheWholeBurst_afterBeingIdleForBurstIntervals() {
        long tat = NOW + 10 * 200;
        long later = NOW + 10 * 200;
        int admitted = 0;
        while (gcra.admits(tat, later)) {
            tat = gcra.afterAdmission(tat, later);
            admitted++;
        }
        assertThat(admitted).isEqualTo(10);
    }

    @Test
    void answersRetryAfter_inWholeSecondsUntilTheNextAdmission() {
        long spent = NOW + 10 * 200;
        assertThat(gcra.retryAfterSeconds(spent, NOW)).isEqualTo(1); // 200 ms → 1 s
        assertThat(gcra.retryAfterSeconds(NOW + 1800 + 1, NOW)).isEqualTo(1); // 1 ms → 1 s
        assertThat(gcra.retryAfterSeconds(NOW + 1800 + 1000, NOW)).isEqualTo(1);
        assertThat(gcra.retryAfterSeconds(NOW + 1800 + 1001, NOW)).isEqualTo(2);
        assertThat(Gcra.of(0.1, 1).retryAfterSeconds(NOW + 10_000, NOW)).isEqualTo(10);
    }

    @Test
    void admitsOneAtATime_whenBurstIsOne() {
        Gcra strict = Gcra.of(2, 1);
        long tat = strict.afterAdmission(TatCache.UNKNOWN, NOW);
        assertThat(strict.admits(tat, NOW + 499)).isFalse();
        assertThat(strict.admits(tat, NOW + 500)).isTrue();
    }

    @Test
    void rejectsLimitsThatCannotWork() {
        assertThatThrownBy(() -> Gcra.of(0, 10)).hasMessage("ratePerSecond must be positive and finite: 0.0");
        assertThatThrownBy(() -> Gcra.of(Double.NaN, 10)).hasMessageStartingWith("ratePerSecond must be positive");
        assertThatThrownBy(() -> Gcra.of(5, 0)).hasMessage("burst < 1: 0");
    }
}
