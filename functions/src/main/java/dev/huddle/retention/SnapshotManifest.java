package dev.huddle.retention;

import java.time.Instant;

/**
 * What a snapshot object holds, stored next to it as {@code <partition>.manifest.json}: written after the
 * object, it is the claim that verification checks the object against (size, SHA-256 of the stored
 * bytes, JSON lines = rows of the partition in the export's snapshot).
 */
public record SnapshotManifest(
        String table,
        String partition,
        String day,
        long rowCount,
        long byteCount,
        String sha256,
        String objectKey,
        String format,
        String createdAt) {

    public static final String FORMAT = "jsonl+gzip";

    static SnapshotManifest of(EventPartition partition, SnapshotKeys keys, ExportResult export, Instant createdAt) {
        return new SnapshotManifest(partition.parentTable(), partition.name(), partition.day().toString(),
                export.rows(), export.bytes(), export.sha256(), keys.objectKey(), FORMAT, createdAt.toString());
    }
}
