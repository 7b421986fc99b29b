package dev.huddle.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
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
}
