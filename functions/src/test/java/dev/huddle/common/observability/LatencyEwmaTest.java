package dev.huddle.common.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyEwmaTest {

    @Test
    void isEmpty_untilTheFirstSample() {
        assertThat(new LatencyEwma().averageMillis()).isEmpty();
    }

    @Test
    void startsAtTheFirstSample_thenMovesByAlphaOfTheDifference() {
        LatencyEwma ewma = new LatencyEwma();
        ewma.record(100);
        assertThat(ewma.averageMillis().getAsDouble()).isEqualTo(100);
        ewma.record(600);
        assertThat(ewma.averageMillis().getAsDouble()).isCloseTo(100 + LatencyEwma.ALPHA * 500, within(1e-9));
    }

    @Test
    void forgetsAnOutlier_afterAFewNormalSamples() {
        LatencyEwma ewma = new LatencyEwma();
        ewma.record(10_000);
        for (int i = 0; i < 30; i++) {
            ewma.record(20);
        }
        assertThat(ewma.averageMillis().getAsDouble()).isLessThan(40);
    }
}
