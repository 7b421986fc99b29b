package dev.huddle.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.huddle.common.observability.LogSink;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RetentionWindowTest {

    private static RetentionService serviceAt(String instant) {
        return new RetentionService(() -> {
            throw new AssertionError("no database needed");
        }, null, Clock.fixed(Instant.parse(instant), ZoneOffset.UTC), 30, 14, Checkpoint.Listener.NONE, LogSink.stdout());
    }

    @Test
    void keepsTheLastAcceptedDayAndOneDayOfGrace() {
        // The API accepts occurredAt >= 2026-10-29T19:00Z here; 10-28 is the grace day; 10-27 is the newest dropped.
        assertThat(serviceAt("2026-11-28T19:00:00Z").dropBefore()).isEqualTo(LocalDate.of(2026, 10, 28));
    }

    @Test
    void movesTheWindowAtUtcMidnight() {
        assertThat(serviceAt("2026-11-28T23:59:59Z").dropBefore()).isEqualTo(LocalDate.of(2026, 10, 28));
        assertThat(serviceAt("2026-11-29T00:00:00Z").dropBefore()).isEqualTo(LocalDate.of(2026, 10, 29));
    }
}
