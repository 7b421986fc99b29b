package dev.huddle.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class SnapshotKeysTest {

    @Test
    void derivesTheSameKeys_fromThePartitionAlone() {
        EventPartition partition = new EventPartition("progress_events", "progress_events_p20261027",
                LocalDate.of(2026, 10, 27), true);

        SnapshotKeys keys = SnapshotKeys.of(partition);

        assertThat(keys.objectKey()).isEqualTo("snapshots/progress_events/2026/10/27/progress_events_p20261027.jsonl.gz");
        assertThat(keys.manifestKey())
                .isEqualTo("snapshots/progress_events/2026/10/27/progress_events_p20261027.manifest.json");
        assertThat(SnapshotKeys.of(new EventPartition("progress_events", "progress_events_p20261027",
                LocalDate.of(2026, 10, 27), false))).isEqualTo(keys);
    }

    @Test
    void refusesANameThatIsNotADailyEventPartition() {
        assertThatThrownBy(() -> new EventPartition("progress_events", "progress_events_default",
                LocalDate.of(2026, 10, 27), true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not an event partition of progress_events: progress_events_default");
        assertThatThrownBy(() -> new EventPartition("progress_events", "progress_events_p20261027; DROP TABLE x",
                LocalDate.of(2026, 10, 27), true))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
