package dev.huddle.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.huddle.common.AwsClients;
import dev.huddle.common.AwsConfig;
import dev.huddle.localstack.LocalStack;
import dev.huddle.localstack.RequiresDocker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** The retention snapshot upload on LocalStack's S3, through the same client settings as on AWS. */
@RequiresDocker
class SnapshotBucketLocalStackTest {
    private final String bucketName = "huddle-snapshots-" + System.nanoTime();
    private final S3Client s3 = AwsClients.s3(AwsConfig.from(LocalStack.environment(Map.of())));

    @Test
    void storesTheUploadedSnapshotByteForByte() throws IOException {
        s3.createBucket(b -> b.bucket(bucketName));
        SnapshotBucket bucket = new SnapshotBucket(s3, bucketName);
        byte[] rows = "{\"eventId\":\"evt-1\"}\n{\"eventId\":\"evt-2\"}\n".getBytes(StandardCharsets.UTF_8);

        try (S3UploadStream upload = bucket.upload("progress_events/2026/10/28/part.jsonl.gz")) {
            upload.write(rows, 0, rows.length);
        }

        byte[] stored = s3.getObjectAsBytes(b -> b.bucket(bucketName).key("progress_events/2026/10/28/part.jsonl.gz"))
                .asByteArray();
        assertThat(stored).isEqualTo(rows);
    }
}
