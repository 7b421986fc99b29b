package dev.huddle.retention;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * What a snapshot object holds, stored next to it as {@code <partition>.manifest.json}: written after the
 * object, it is the claim that verification checks the object against (size, SHA-256 of the stored
 * bytes, JSON lines = rows of the partition in the export's snapshot).
 *
 * <p>A snapshot in parts ({@link SnapshotKeys#part}) has one such manifest per part, and a partition
 * manifest whose {@code parts} lists the parts' manifest keys, {@code rowCount} and {@code byteCount} their
 * sums, {@code objectKey} the first part's object and {@code sha256} the SHA-256 of the parts' digests.
 * {@code parts} is null for a snapshot in one object.
 */
record SnapshotManifest(
        String table,
        String partition,
        String day,
        long rowCount,
        long byteCount,
        String sha256,
        String objectKey,
        String format,
        String createdAt,
        List<String> parts) {

    public static final String FORMAT = "jsonl+gzip";
    public static final String PARTS_FORMAT = "jsonl+gzip parts";

    static SnapshotManifest of(EventPartition partition, SnapshotKeys keys, ExportResult export, Instant createdAt) {
        return new SnapshotManifest(partition.parentTable(), partition.name(), partition.day().toString(),
                export.rows(), export.bytes(), export.sha256(), keys.objectKey(), FORMAT, createdAt.toString(), null);
    }

    /** The partition manifest of a snapshot whose parts all verified, in order. */
    static SnapshotManifest ofParts(EventPartition partition, List<SnapshotKeys> partKeys, List<SnapshotManifest> parts,
                                    Instant createdAt) {
        MessageDigest digest = Digests.sha256();
        parts.forEach(part -> digest.update(part.sha256().getBytes(StandardCharsets.US_ASCII)));
        return new SnapshotManifest(partition.parentTable(), partition.name(), partition.day().toString(),
                parts.stream().mapToLong(SnapshotManifest::rowCount).sum(),
                parts.stream().mapToLong(SnapshotManifest::byteCount).sum(),
                HexFormat.of().formatHex(digest.digest()), parts.getFirst().objectKey(), PARTS_FORMAT,
                createdAt.toString(), partKeys.stream().map(SnapshotKeys::manifestKey).toList());
    }
}
