package dev.huddle.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

class S3UploadStreamTest {
    private static final int PART = 5 * 1024 * 1024;
    private final RetentionFixture fx = new RetentionFixture();

    @Test
    void storesABigObjectAsAMultipartUpload_byteForByte() throws Exception {
        byte[] data = new byte[2 * PART + 12345];
        new Random(7).nextBytes(data);

        try (S3UploadStream out = new S3UploadStream(fx.s3, fx.bucket, "big.bin", PART)) {
            for (int offset = 0; offset < data.length; offset += 100_000) {
                out.write(data, offset, Math.min(100_000, data.length - offset));
            }
        }

        assertThat(fx.object("big.bin")).isEqualTo(data);
        var head = fx.s3.headObject(b -> b.bucket(fx.bucket).key("big.bin"));
        // S3 marks a multipart object's ETag with the number of parts.
        assertThat(head.eTag()).contains("-3");
    }

    @Test
    void leavesNoObject_whenTheUploadIsAbortedHalfway() throws Exception {
        S3UploadStream out = new S3UploadStream(fx.s3, fx.bucket, "aborted.bin", PART);
        out.write(new byte[PART + 10]);

        out.abort();
        out.close();

        assertThat(fx.bucketKeys()).doesNotContain("aborted.bin");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> fx.object("aborted.bin"))
                .isInstanceOf(NoSuchKeyException.class);
    }
}
