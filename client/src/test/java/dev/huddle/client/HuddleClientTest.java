package dev.huddle.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client's own bookkeeping, with flushes too far apart to send anything (no server needed). */
class HuddleClientTest {
    private static final URI NO_SERVER = URI.create("http://127.0.0.1:9");

    @TempDir
    Path directory;

    @Test
    void backlogWarning_firesOnce_whenTheDepthPasses50() {
        List<QueueStats> warnings = new CopyOnWriteArrayList<>();
        HuddleClient client = quietClient().onBacklogWarning(warnings::add).build();
        try {
            for (int i = 0; i < 80; i++) {
                client.trackAnalytics(AnalyticsEvent.of("lesson_opened", Instant.now()));
            }

            assertThat(client.getQueueStats().analyticsDepth()).isEqualTo(80);
            client.flush(); // a failed round (no server) must not re-arm the warning
            await("the backlog warning").atMost(Duration.ofSeconds(60)).until(() -> !warnings.isEmpty());
            assertThat(warnings).hasSize(1);
            assertThat(warnings.get(0).totalDepth()).isEqualTo(51);
        } finally {
            client.close(Duration.ZERO);
        }
    }

    @Test
    void aFullQueue_refusesTheEvent() {
        HuddleClient client = quietClient().maxQueuedEvents(2).build();
        try {
            assertThat(client.trackProgress(progress())).isTrue();
            assertThat(client.trackProgress(progress())).isTrue();

            assertThat(client.trackProgress(progress())).isFalse();
            assertThat(client.trackAnalytics(AnalyticsEvent.of("lesson_opened", Instant.now())))
                    .as("the other queue has its own bound").isTrue();
        } finally {
            client.close(Duration.ZERO);
        }
    }

    @Test
    void unsentEvents_stayOnDisk_forTheNextClient() {
        HuddleClient first = quietClient().build();
        first.trackProgress(progress());
        first.trackAnalytics(AnalyticsEvent.of("lesson_opened", Instant.now()));

        assertThat(first.close(Duration.ZERO)).isFalse();
        assertThatThrownBy(() -> first.trackProgress(progress())).hasMessage("client is closed");

        HuddleClient second = quietClient().build();
        try {
            QueueStats stats = second.getQueueStats();
            assertThat(stats.progressDepth()).isEqualTo(1);
            assertThat(stats.analyticsDepth()).isEqualTo(1);
            assertThat(stats.currentInterval()).isEqualTo(Duration.ofMinutes(1));
        } finally {
            second.close(Duration.ZERO);
        }
    }

    @Test
    void builder_requiresAQueueDirectory() {
        assertThatThrownBy(() -> HuddleClient.builder(NO_SERVER).tokenSupplier(() -> "t").build())
                .isInstanceOf(NullPointerException.class)
                .hasMessage("queueDirectory == null");
    }

    private HuddleClient.Builder quietClient() {
        return HuddleClient.builder(NO_SERVER)
                .tokenSupplier(() -> "token")
                .queueDirectory(directory)
                .fsyncEachEvent(false)
                .minInterval(Duration.ofMinutes(1))
                .maxInterval(Duration.ofMinutes(2));
    }

    private static ProgressEvent progress() {
        return ProgressEvent.of(ProgressEvent.Type.LESSON_PROGRESS, "course-101", "course-101-lesson-01", 10, 5,
                Instant.now());
    }
}
