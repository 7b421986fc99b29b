package dev.huddle.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class QueueLagPolicyTest {
    private final QueueLagPolicy policy = new QueueLagPolicy(Duration.ofMillis(500));

    @Test
    void givesNoLag_withoutSamplesOrAtTheSlo() {
        assertThat(policy.lagMillis(OptionalDouble.empty())).isEmpty();
        assertThat(policy.lagMillis(OptionalDouble.of(500))).isEmpty();
    }

    @Test
    void asksForTheExcessOverTheSlo_roundedUp() {
        assertThat(policy.lagMillis(OptionalDouble.of(500.2))).hasValue(1);
        assertThat(policy.lagMillis(OptionalDouble.of(1_250))).hasValue(750);
    }

    @Test
    void capsTheLag() {
        assertThat(policy.lagMillis(OptionalDouble.of(1_000_000))).hasValue(QueueLagPolicy.MAX_LAG.toMillis());
    }
}
