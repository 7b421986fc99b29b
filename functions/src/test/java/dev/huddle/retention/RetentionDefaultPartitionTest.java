package dev.huddle.retention;

import static dev.huddle.retention.RetentionFixture.manifestKey;
import static dev.huddle.retention.RetentionFixture.objectKey;
import static dev.huddle.retention.RetentionFixture.partitionName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.huddle.common.Json;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/**
 * Rows stranded in the DEFAULT partitions (their day's partition did not exist when they were written):
 * old ones are retired like any other partition's rows, young ones stay where they are.
 */
class RetentionDefaultPartitionTest {
    private static final String PROGRESS = "progress_events";
    private static final String ANALYTICS = "analytics_events";

    private final RetentionFixture fx = new RetentionFixture();
    // A fresh database has partitions from today - 31 on: older days' rows land in DEFAULT by themselves.
    private final LocalDate old = fx.today.minusDays(32);
    private final LocalDate recent = fx.today.minusDays(5);

    /** 150 rows of an old day and 20 of a day inside the window, per table, all in DEFAULT and rolled up. */
    private void strandOldAndRecentRows() throws Exception {
        fx.dropPartitionsOf(recent);
        fx.seedStrandedInDefault(old, 150, "");
        fx.seedStrandedInDefault(recent, 20, "");
        assertThat(fx.count("SELECT count(*) FROM huddle.progress_events_default")).isEqualTo(170);
    }

    @Test
    void snapshotsAndDropsOldRowsOfTheDefaultPartition_andLeavesYoungOnesThere() throws Exception {
        strandOldAndRecentRows();

        RetentionReport report = fx.service(Checkpoint.Listener.NONE).run(false);

        assertThat(report.defaultRowsMoved()).isEqualTo(300);
        assertThat(report.partitions()).extracting(PartitionOutcome::partition, PartitionOutcome::action)
                .containsExactly(
                        tuple(partitionName(ANALYTICS, old), PartitionOutcome.Action.SNAPSHOTTED_AND_DROPPED),
                        tuple(partitionName(PROGRESS, old), PartitionOutcome.Action.SNAPSHOTTED_AND_DROPPED));
        assertThat(fx.bucketKeys()).containsExactlyInAnyOrder(objectKey(PROGRESS, old), manifestKey(PROGRESS, old),
                objectKey(ANALYTICS, old), manifestKey(ANALYTICS, old));
        assertThat(fx.snapshotLines(objectKey(PROGRESS, old))).hasSize(150);
        JsonNode manifest = Json.mapper().readTree(fx.object(manifestKey(ANALYTICS, old)));
        assertThat(manifest.get("rowCount").asLong()).isEqualTo(150);
        assertThat(fx.partitions()).doesNotContain(partitionName(PROGRESS, old), partitionName(ANALYTICS, old));
        assertThat(fx.count("SELECT count(*) FROM huddle.progress_events WHERE occurred_at < '" + recent + "'"))
                .isZero();
        assertThat(fx.count("SELECT count(*) FROM huddle.progress_events_default")).isEqualTo(20);
        assertThat(fx.count("SELECT count(*) FROM huddle.analytics_events_default")).isEqualTo(20);
    }

    @Test
    void listsTheOldDefaultRowsItWouldRetire_andTouchesNothing_onADryRun() throws Exception {
        strandOldAndRecentRows();

        RetentionReport report = fx.service(Checkpoint.Listener.NONE).run(true);

        assertThat(report.defaultRowsMoved()).isEqualTo(300);
        assertThat(report.partitions()).extracting(PartitionOutcome::partition, PartitionOutcome::action,
                        PartitionOutcome::rows)
                .containsExactly(
                        tuple(partitionName(ANALYTICS, old), PartitionOutcome.Action.WOULD_SNAPSHOT_AND_DROP, 150L),
                        tuple(partitionName(PROGRESS, old), PartitionOutcome.Action.WOULD_SNAPSHOT_AND_DROP, 150L));
        assertThat(fx.count("SELECT count(*) FROM huddle.progress_events_default")).isEqualTo(170);
        assertThat(fx.partitions()).doesNotContain(partitionName(PROGRESS, old), partitionName(PROGRESS, recent));
        assertThat(fx.bucketKeys()).isEmpty();
    }

    @Test
    void keepsOldDefaultRows_thatTheRollupsHaveNotReadYet() throws Exception {
        fx.execute("INSERT INTO huddle.progress_events (event_id, user_id, org_id, course_id, lesson_id, type,"
                + " progress_percent, time_spent_seconds, occurred_at) VALUES ('late-1', 'learner-0001', 'org-1',"
                + " 'course-101', 'course-101-lesson-01', 'lesson_progress', 10, 5, '" + old + "T08:00:00Z')");

        RetentionReport dryRun = fx.service(Checkpoint.Listener.NONE).run(true);
        RetentionReport report = fx.service(Checkpoint.Listener.NONE).run(false);

        assertThat(dryRun.partitions()).extracting(PartitionOutcome::partition, PartitionOutcome::reason)
                .containsExactly(tuple(partitionName(PROGRESS, old), RetentionService.NOT_ROLLED_UP));
        assertThat(report.partitions()).filteredOn(p -> p.partition().equals(partitionName(PROGRESS, old)))
                .singleElement().satisfies(p -> assertThat(p.reason()).isEqualTo(RetentionService.NOT_ROLLED_UP));
        // Out of DEFAULT, into its day's partition, where the next run retires it once it is rolled up.
        assertThat(fx.count("SELECT count(*) FROM huddle." + partitionName(PROGRESS, old))).isEqualTo(1);
        assertThat(fx.bucketKeys()).doesNotContain(objectKey(PROGRESS, old));
    }

    @Test
    void keepsRowsOfADayRetiredBefore_ratherThanOverwriteItsSnapshot() throws Exception {
        fx.seedDay(old, 40);
        fx.service(Checkpoint.Listener.NONE).run(false);
        // Late rows of the same day: its partition is gone, so they land in DEFAULT.
        fx.seedStrandedInDefault(old, 3, "late-");

        RetentionReport report = fx.service(Checkpoint.Listener.NONE).run(false);

        assertThat(report.partitions()).extracting(PartitionOutcome::partition, PartitionOutcome::reason)
                .containsExactly(tuple(partitionName(ANALYTICS, old), RetentionService.DAY_ALREADY_RETIRED),
                        tuple(partitionName(PROGRESS, old), RetentionService.DAY_ALREADY_RETIRED));
        assertThat(fx.snapshotLines(objectKey(PROGRESS, old))).hasSize(40);
        assertThat(fx.count("SELECT count(*) FROM huddle." + partitionName(PROGRESS, old))).isEqualTo(3);
    }
}
