package dev.huddle.retention;

import dev.huddle.common.observability.EmfDocument;
import java.time.Instant;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The result of one retention run, logged as one structured line that is also CloudWatch metrics (EMF).
 *
 * @param status "completed"; "completed_with_failures" when some partition failed (the run went on with the
 *     others; see {@link #failed()}); or "another_run_in_progress" when a concurrent run held the job's lock
 *     (EventBridge may deliver a schedule twice): this run then did nothing
 * @param dropBefore partitions of days before this one were due
 * @param partitionsCreatedAhead daily partitions created ahead of today (in a dry run: missing ones)
 * @param defaultRowsMoved rows of days before {@code dropBefore} found in the DEFAULT partitions and moved into
 *     partitions of their days, to be retired with them (in a dry run: the rows it would move)
 * @param eventNamesPruned analytics event names of days before {@code dropBefore} forgotten (their per-org
 *     daily bound can no longer be reached: ingest refuses events that old); 0 in a dry run
 * @param oldestPartitionAgeDays days between today and the oldest event partition left after the run (0 when
 *     there is none): above the retention window plus 2 days it alarms (infra-cdk Observability)
 */
public record RetentionReport(
        boolean dryRun,
        String status,
        @JsonSerialize(using = ToStringSerializer.class) LocalDate dropBefore,
        List<PartitionOutcome> partitions,
        int partitionsCreatedAhead,
        long defaultRowsMoved,
        long eventNamesPruned,
        long oldestPartitionAgeDays,
        long durationMs) {

    public static final String NAMESPACE = "Huddle";
    public static final String COMPLETED = "completed";
    public static final String COMPLETED_WITH_FAILURES = "completed_with_failures";
    public static final String ANOTHER_RUN_IN_PROGRESS = "another_run_in_progress";

    public RetentionReport {
        partitions = List.copyOf(partitions);
    }

    /** Partitions exported to S3 in this run (a reused snapshot is not counted). */
    @JsonProperty
    public long snapshotted() {
        return partitions.stream().filter(p -> p.action() == PartitionOutcome.Action.SNAPSHOTTED_AND_DROPPED).count();
    }

    @JsonProperty
    public long dropped() {
        return partitions.stream().filter(PartitionOutcome::dropped).count();
    }

    @JsonProperty
    public long skipped() {
        return partitions.stream().filter(p -> p.action() == PartitionOutcome.Action.SKIPPED).count();
    }

    @JsonProperty
    public long failed() {
        return partitions.stream().filter(p -> p.action() == PartitionOutcome.Action.FAILED).count();
    }

    /** Rows of the partitions exported in this run. */
    @JsonProperty
    public long rowsExported() {
        return partitions.stream().filter(p -> p.action() == PartitionOutcome.Action.SNAPSHOTTED_AND_DROPPED)
                .mapToLong(PartitionOutcome::rows).sum();
    }

    @JsonProperty
    public long bytesUploaded() {
        return partitions.stream().filter(p -> p.action() == PartitionOutcome.Action.SNAPSHOTTED_AND_DROPPED)
                .mapToLong(PartitionOutcome::bytes).sum();
    }

    /** The run's one log line: counts as metrics, partition names and skip reasons as fields. */
    String toLogLine(Instant at) {
        return new EmfDocument(NAMESPACE, at)
                .dimension("Function", "retention")
                .property("event", "retention_run")
                .property("dryRun", Boolean.toString(dryRun))
                .property("status", status)
                .property("dropBefore", dropBefore.toString())
                .property("dropped", names(PartitionOutcome::dropped))
                .property("skipped", partitions.stream().filter(p -> p.action() == PartitionOutcome.Action.SKIPPED)
                        .map(p -> p.partition() + ":" + p.reason()).collect(Collectors.joining(",")))
                .property("wouldDrop", names(p -> p.action() == PartitionOutcome.Action.WOULD_SNAPSHOT_AND_DROP))
                .property("failed", partitions.stream().filter(p -> p.action() == PartitionOutcome.Action.FAILED)
                        .map(p -> p.partition() + ":" + p.reason()).collect(Collectors.joining(",")))
                .metric("PartitionsSnapshotted", snapshotted(), "Count")
                .metric("PartitionsDropped", dropped(), "Count")
                .metric("PartitionsSkipped", skipped(), "Count")
                .metric("PartitionsFailed", failed(), "Count")
                .metric("OldestPartitionAgeDays", oldestPartitionAgeDays, "Count")
                .metric("PartitionsCreatedAhead", partitionsCreatedAhead, "Count")
                .metric("DefaultRowsMoved", defaultRowsMoved, "Count")
                .metric("EventNamesPruned", eventNamesPruned, "Count")
                .metric("RowsExported", rowsExported(), "Count")
                .metric("BytesUploaded", bytesUploaded(), "Bytes")
                .metric("DurationMs", durationMs, "Milliseconds")
                .toJson();
    }

    private String names(java.util.function.Predicate<PartitionOutcome> filter) {
        return partitions.stream().filter(filter).map(PartitionOutcome::partition).collect(Collectors.joining(","));
    }
}
