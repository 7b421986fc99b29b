package dev.huddle.retention;

/**
 * Where a partition's snapshot goes: a name derived only from the partition, e.g.
 * {@code snapshots/progress_events/2026/10/27/progress_events_p20261027.jsonl.gz} and
 * {@code ....manifest.json} beside it. A rerun after a crash therefore writes the same names again
 * (overwriting), never a second copy under another name.
 */
record SnapshotKeys(String objectKey, String manifestKey) {
    private static final String OBJECT_SUFFIX = ".jsonl.gz";

    static SnapshotKeys of(EventPartition partition) {
        String folder = String.format("snapshots/%s/%04d/%02d/%02d/%s", partition.parentTable(),
                partition.day().getYear(), partition.day().getMonthValue(), partition.day().getDayOfMonth(),
                partition.name());
        return new SnapshotKeys(folder + OBJECT_SUFFIX, folder + ".manifest.json");
    }

    /**
     * Part {@code index} (0-based) of a snapshot in {@code count} parts, each with its own manifest, e.g.
     * {@code ..._p20261027.part-00002-of-00004.jsonl.gz}: a partition too big for one invocation is
     * exported part by part across runs ({@link RetentionService}). The names depend on the partition and
     * the part count only, so a rerun finds the parts already done.
     */
    SnapshotKeys part(int index, int count) {
        String base = objectKey.substring(0, objectKey.length() - OBJECT_SUFFIX.length())
                + String.format(".part-%05d-of-%05d", index + 1, count);
        return new SnapshotKeys(base + OBJECT_SUFFIX, base + ".manifest.json");
    }
}
