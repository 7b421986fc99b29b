package dev.huddle.retention;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.huddle.common.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The snapshot bucket: upload streams for snapshot objects, manifests, and verification by re-reading. */
public final class SnapshotBucket {
    private final S3Client s3;
    private final String bucket;
    private final int partSize;

    public SnapshotBucket(S3Client s3, String bucket) {
        this(s3, bucket, S3UploadStream.DEFAULT_PART_SIZE);
    }

    SnapshotBucket(S3Client s3, String bucket, int partSize) {
        this.s3 = s3;
        this.bucket = bucket;
        this.partSize = partSize;
    }

    public String name() {
        return bucket;
    }

    /** A stream that becomes the object {@code key} when closed (multipart for big objects). */
    S3UploadStream upload(String key) {
        return new S3UploadStream(s3, bucket, key, partSize);
    }

    void putManifest(SnapshotKeys keys, SnapshotManifest manifest) {
        try {
            byte[] json = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest);
            s3.putObject(PutObjectRequest.builder().bucket(bucket).key(keys.manifestKey())
                    .contentType("application/json").build(), RequestBody.fromBytes(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("manifest not serialisable", e);
        }
    }

    /** The manifest of an earlier run, if one was written and is readable. */
    Optional<SnapshotManifest> manifest(SnapshotKeys keys) {
        try (InputStream in = s3.getObject(GetObjectRequest.builder().bucket(bucket).key(keys.manifestKey()).build())) {
            return Optional.of(Json.mapper().readValue(in, SnapshotManifest.class));
        } catch (NoSuchKeyException missing) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            // 403 here usually means the role lacks s3:ListBucket (S3 then hides "missing" behind 403).
            throw e;
        } catch (IOException unreadable) {
            // A manifest cut short or not JSON: treat as absent; the partition is exported again.
            return Optional.empty();
        }
    }

    /**
     * Checks the stored object against its manifest: HeadObject size, then a full re-read that recomputes
     * the SHA-256 of the stored bytes and counts the JSON lines inside the gzip. Any difference, a
     * missing object or a broken gzip makes the snapshot unverified.
     */
    Verification verify(SnapshotManifest manifest) {
        String key = manifest.objectKey();
        long size;
        try {
            size = s3.headObject(HeadObjectRequest.builder().bucket(bucket).key(key).build()).contentLength();
        } catch (NoSuchKeyException missing) {
            return Verification.failed("object missing");
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Verification.failed("object missing");
            }
            throw e;
        }
        if (size != manifest.byteCount()) {
            return Verification.failed("size " + size + " != manifest " + manifest.byteCount());
        }
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(GetObjectRequest.builder().bucket(bucket).key(key).build())) {
            SnapshotReader.Contents contents = SnapshotReader.read(in);
            if (contents.bytes() != manifest.byteCount()) {
                return Verification.failed("read " + contents.bytes() + " bytes != manifest " + manifest.byteCount());
            }
            if (!contents.sha256().equals(manifest.sha256())) {
                return Verification.failed("sha256 differs from manifest");
            }
            if (contents.lines() != manifest.rowCount()) {
                return Verification.failed(contents.lines() + " lines != manifest " + manifest.rowCount() + " rows");
            }
            return Verification.OK;
        } catch (IOException e) {
            return Verification.failed("unreadable: " + e.getClass().getSimpleName());
        } catch (UncheckedIOException e) {
            return Verification.failed("unreadable: " + e.getCause().getClass().getSimpleName());
        }
    }

    /** The outcome of {@link #verify}: ok, or why not. */
    record Verification(boolean ok, String problem) {
        static final Verification OK = new Verification(true, null);

        static Verification failed(String problem) {
            return new Verification(false, problem);
        }
    }
}
