package dev.huddle.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchCutterTest {
    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

    @Test
    void cutsAtTheEventLimit() {
        List<QueuedEvent> queued = events(250, 200);

        assertThat(BatchCutter.contractLimits().cut(queued)).isEqualTo(100);
    }

    @Test
    void takesEverything_whenUnderBothLimits() {
        assertThat(BatchCutter.contractLimits().cut(events(7, 200))).isEqualTo(7);
    }

    @Test
    void cutsAtTheByteLimit_measuredOnTheUncompressedBody() {
        // 100 events of 3,000 bytes would be ~300 KB: over 256 KB, so fewer go.
        List<QueuedEvent> queued = events(100, 3_000);

        int count = BatchCutter.contractLimits().cut(queued);

        assertThat(count).isEqualTo(87);
        assertThat(EventCodec.batch(queued.subList(0, count)).length).isLessThanOrEqualTo(256 * 1024);
        assertThat(EventCodec.batch(queued.subList(0, count + 1)).length).isGreaterThan(256 * 1024);
    }

    @Test
    void bodyOfExactlyTheLimit_fits() {
        List<QueuedEvent> queued = events(3, 30);
        int exactBody = EventCodec.batch(queued).length;

        assertThat(new BatchCutter(100, exactBody).cut(queued)).isEqualTo(3);
        assertThat(new BatchCutter(100, exactBody - 1).cut(queued)).isEqualTo(2);
    }

    @Test
    void anEventLargerThanTheLimit_goesAlone() {
        List<QueuedEvent> queued = events(3, 500);

        assertThat(new BatchCutter(100, 100).cut(queued)).isEqualTo(1);
    }

    @Test
    void emptyQueue_cutsNothing() {
        assertThat(BatchCutter.contractLimits().cut(List.of())).isZero();
    }

    /** Events whose JSON is exactly {@code bytes} long: {"eventId":"e-0001","pad":"xxx..."}. */
    static List<QueuedEvent> events(int count, int bytes) {
        return IntStream.range(0, count).mapToObj(i -> {
            String id = String.format("e-%04d", i);
            String prefix = "{\"eventId\":\"" + id + "\",\"pad\":\"";
            String json = prefix + "x".repeat(bytes - prefix.length() - 2) + "\"}";
            return new QueuedEvent(id, json.getBytes(StandardCharsets.UTF_8), NOW);
        }).toList();
    }
}
