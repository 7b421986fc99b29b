package dev.huddle.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

    private final MutableClock clock = MutableClock.atEpochMillis(1_700_000_000_000L);
    private final CircuitBreaker breaker = new CircuitBreaker(Duration.ofSeconds(5), clock);

    @Test
    void allowsCalls_whileNothingFailed() {
        assertThat(breaker.allowsCall()).isTrue();
        assertThat(breaker.allowsCall()).isTrue();
        assertThat(breaker.isOpen()).isFalse();
    }

    @Test
    void skipsCallsForTheOpenPeriod_afterAFailure() {
        breaker.recordFailure();
        assertThat(breaker.allowsCall()).isFalse();
        clock.advanceMillis(4_999);
        assertThat(breaker.allowsCall()).isFalse();
    }

    @Test
    void letsExactlyOneProbeThrough_whenTheOpenPeriodEnds() {
        breaker.recordFailure();
        clock.advanceMillis(5_000);
        assertThat(breaker.allowsCall()).isTrue();
        assertThat(breaker.allowsCall()).isFalse();
    }

    @Test
    void closes_whenTheProbeSucceeds() {
        breaker.recordFailure();
        clock.advanceMillis(5_000);
        assertThat(breaker.allowsCall()).isTrue();
        breaker.recordSuccess();
        assertThat(breaker.isOpen()).isFalse();
        assertThat(breaker.allowsCall()).isTrue();
        assertThat(breaker.allowsCall()).isTrue();
    }

    @Test
    void opensAgain_whenTheProbeFails() {
        breaker.recordFailure();
        clock.advanceMillis(5_000);
        assertThat(breaker.allowsCall()).isTrue();
        breaker.recordFailure();
        clock.advanceMillis(4_999);
        assertThat(breaker.allowsCall()).isFalse();
        clock.advanceMillis(1);
        assertThat(breaker.allowsCall()).isTrue();
    }

    @Test
    void spreadsTheOpenPeriodsOfBreakersThatFailedTogether_betweenHalfAndOneAndAHalfTimesTheMean() {
        List<CircuitBreaker> breakers = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            CircuitBreaker jittered = CircuitBreaker.jittered(Duration.ofSeconds(5), clock);
            jittered.recordFailure();
            breakers.add(jittered);
        }

        clock.advanceMillis(2_499);
        assertThat(breakers).noneMatch(CircuitBreaker::allowsCall);
        clock.advanceMillis(2_501);
        List<CircuitBreaker> waiting = new ArrayList<>(breakers);
        waiting.removeIf(CircuitBreaker::allowsCall);
        long probingAtTheMean = breakers.size() - waiting.size();
        clock.advanceMillis(2_500);
        waiting.removeIf(CircuitBreaker::allowsCall);

        // Uniform over 2.5..7.5 s: about half probe by the mean; the chance of leaving 30..70 % is below 1e-30.
        assertThat(probingAtTheMean).isBetween(300L, 700L);
        assertThat(waiting).isEmpty();
    }
}
