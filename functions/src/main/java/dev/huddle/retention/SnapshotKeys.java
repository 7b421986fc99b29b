package dev.huddle.retention;

/**
 * Where a partition's snapshot goes: a name derived only from the partition, e.g.
 * {@code snapshots/progress_events/2026/10/27/progress_events_p20261027.jsonl.gz} and
 * {@code ....manifest.json} beside it. A rerun after a crash therefore writes the same names again
 * (overwriting), never a second copy under another name.
 */
record SnapshotKeys(String objectKey, String manifestKey) {

    static SnapshotKeys of(EventPartition partition) {
        String folder = String.format("snapshots/%s/%04d/%02d/%02d/%s", partition.parentTable(),
                partition.day().getYear(), partition.day().getMonthValue(), partition.day().getDayOfMonth(),
                partition.name());
        return new SnapshotKeys(folder + ".jsonl.gz", folder + ".manifest.json");
    }
}
