package dev.huddle.retention;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.LocalDate;

/**
 * What a run did with one partition. {@code rows}/{@code bytes} are those of its snapshot (0 for a
 * partition skipped before one was made); {@code reason} says why a partition was kept.
 */
public record PartitionOutcome(
        String partition,
        @JsonSerialize(using = ToStringSerializer.class) LocalDate day,
        Action action,
        long rows,
        long bytes,
        String reason) {

    public enum Action {
        /** Exported now, verified, dropped. */
        SNAPSHOTTED_AND_DROPPED,
        /** A verified snapshot from an earlier (interrupted) run was reused; dropped. */
        DROPPED_WITH_EXISTING_SNAPSHOT,
        /** Kept: see the reason. */
        SKIPPED,
        /** Dry run: would be snapshotted and dropped. */
        WOULD_SNAPSHOT_AND_DROP,
        /** An error (see the reason); kept, and the run went on with the other partitions. */
        FAILED
    }

    static PartitionOutcome skipped(EventPartition partition, long rows, long bytes, String reason) {
        return new PartitionOutcome(partition.name(), partition.day(), Action.SKIPPED, rows, bytes, reason);
    }

    static PartitionOutcome failed(EventPartition partition, String reason) {
        return new PartitionOutcome(partition.name(), partition.day(), Action.FAILED, 0, 0, reason);
    }

    static PartitionOutcome wouldSnapshotAndDrop(EventPartition partition, long rows) {
        return new PartitionOutcome(partition.name(), partition.day(), Action.WOULD_SNAPSHOT_AND_DROP, rows, 0, null);
    }

    boolean dropped() {
        return action == Action.SNAPSHOTTED_AND_DROPPED || action == Action.DROPPED_WITH_EXISTING_SNAPSHOT;
    }
}
