package dev.huddle.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The local stack's ingest function sends Server-Timing unless the environment turns it off. */
class HttpApiRoutesTest {

    @Test
    void turnsServerTimingOn_unlessTheEnvironmentSaysOtherwise() {
        assertThat(HttpApiRoutes.withServerTiming(Map.of("DB_USER", "huddle_ingest")))
                .containsEntry("SERVER_TIMING", "true").containsEntry("DB_USER", "huddle_ingest");
        assertThat(HttpApiRoutes.withServerTiming(Map.of("SERVER_TIMING", "false")))
                .containsEntry("SERVER_TIMING", "false");
    }
}
