package dev.huddle.retention;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * An OutputStream that stores what is written as one S3 object, in constant memory: bytes gather in one
 * part buffer; each full buffer becomes a part of a multipart upload. An object smaller than one part is
 * a single PutObject. {@link #close()} completes the upload; {@link #abort()} (or a failure) abandons
 * it, so no half-written object ever appears under the key: S3 shows the object only once complete.
 * Parts of an abandoned upload that a crash leaves behind are removed by the bucket's
 * AbortIncompleteMultipartUpload lifecycle rule.
 */
final class S3UploadStream extends OutputStream {
    /** S3's minimum part size is 5 MiB (all parts but the last). */
    static final int DEFAULT_PART_SIZE = 8 * 1024 * 1024;

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final byte[] buffer;
    private final List<CompletedPart> parts = new ArrayList<>();
    private int filled;
    private String uploadId;
    private boolean closed;

    S3UploadStream(S3Client s3, String bucket, String key, int partSize) {
        if (partSize < 5 * 1024 * 1024) {
            throw new IllegalArgumentException("partSize below S3's 5 MiB minimum: " + partSize);
        }
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.buffer = new byte[partSize];
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        ensureOpen();
        while (length > 0) {
            int n = Math.min(length, buffer.length - filled);
            System.arraycopy(bytes, offset, buffer, filled, n);
            filled += n;
            offset += n;
            length -= n;
            if (filled == buffer.length) {
                uploadPart();
            }
        }
    }

    /** Completes the object. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (uploadId == null) {
                s3.putObject(PutObjectRequest.builder().bucket(bucket).key(key).contentType("application/gzip").build(),
                        RequestBody.fromBytes(Arrays.copyOf(buffer, filled)));
                return;
            }
            if (filled > 0) {
                uploadPart();
            }
            s3.completeMultipartUpload(CompleteMultipartUploadRequest.builder()
                    .bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build())
                    .build());
        } catch (RuntimeException e) {
            abortQuietly();
            throw e;
        }
    }

    /** Abandons the upload: nothing appears under the key (an earlier complete object stays). */
    void abort() {
        closed = true;
        abortQuietly();
    }

    private void uploadPart() {
        if (uploadId == null) {
            uploadId = s3.createMultipartUpload(CreateMultipartUploadRequest.builder()
                    .bucket(bucket).key(key).contentType("application/gzip").build()).uploadId();
        }
        int partNumber = parts.size() + 1;
        try {
            String eTag = s3.uploadPart(UploadPartRequest.builder()
                            .bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber).build(),
                    RequestBody.fromBytes(Arrays.copyOf(buffer, filled))).eTag();
            parts.add(CompletedPart.builder().partNumber(partNumber).eTag(eTag).build());
            filled = 0;
        } catch (RuntimeException e) {
            abort();
            throw e;
        }
    }

    private void abortQuietly() {
        if (uploadId == null) {
            return;
        }
        try {
            s3.abortMultipartUpload(AbortMultipartUploadRequest.builder().bucket(bucket).key(key).uploadId(uploadId).build());
        } catch (RuntimeException ignored) {
            // Best effort: the lifecycle rule removes the parts of an upload that could not be aborted.
        }
        uploadId = null;
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("upload stream closed: " + key);
        }
    }
}
