package dev.huddle.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalTokenBucketTest {

    private final MutableClock clock = MutableClock.atEpochMillis(1_700_000_000_000L);
    private final LocalTokenBucket bucket = new LocalTokenBucket(Gcra.of(5, 10), clock);

    @Test
    void admitsTheBurstAndThenRefusesWithRetryAfter() {
        List<RateLimitDecision> decisions = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            decisions.add(bucket.tryAcquire("learner-1"));
        }
        assertThat(decisions).filteredOn(RateLimitDecision::allowed).hasSize(10);
        assertThat(decisions.subList(10, 12)).containsOnly(RateLimitDecision.refuse(1));
    }

    @Test
    void admitsAgain_whenTheClockReachesTheNextInterval() {
        drain("learner-1");
        clock.advanceMillis(199);
        assertThat(bucket.tryAcquire("learner-1").allowed()).isFalse();
        clock.advanceMillis(1);
        assertThat(bucket.tryAcquire("learner-1").allowed()).isTrue();
        assertThat(bucket.tryAcquire("learner-1").allowed()).isFalse();
    }

    @Test
    void keepsUsersApart() {
        drain("learner-1");
        assertThat(bucket.tryAcquire("learner-2").allowed()).isTrue();
    }

    private void drain(String userId) {
        while (bucket.tryAcquire(userId).allowed()) {
            // keep taking until the first refusal
        }
    }
}
