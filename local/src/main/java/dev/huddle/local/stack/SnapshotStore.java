package dev.huddle.local.stack;

import dev.huddle.common.AwsClients;
import dev.huddle.retention.RetentionConfig;
import dev.huddle.devservers.S3ProxyServer;
import java.util.Deque;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/**
 * The S3 API for retention's snapshots: S3Proxy in this JVM (in memory: snapshots last as long as the
 * stack), or the endpoint in {@code S3_ENDPOINT}; and the snapshot bucket ({@code SNAPSHOT_BUCKET}),
 * created when missing as CDK creates it on AWS.
 */
final class SnapshotStore {
    private SnapshotStore() {
    }

    /** Starts S3Proxy unless {@code S3_ENDPOINT} is set; returns the settings it provides. */
    static Map<String, String> startUnlessExternal(EmulatedStackOptions options, Deque<AutoCloseable> started) {
        if (options.setting("S3_ENDPOINT") != null) {
            return Map.of();
        }
        S3ProxyServer s3 = S3ProxyServer.start(0);
        started.push(s3);
        return Map.of("S3_ENDPOINT", s3.endpoint().toString());
    }

    static void createBucketIfMissing(RetentionConfig config) {
        try (S3Client s3 = AwsClients.s3(config.aws())) {
            try {
                s3.headBucket(request -> request.bucket(config.snapshotBucket()));
            } catch (NoSuchBucketException missing) {
                try {
                    s3.createBucket(request -> request.bucket(config.snapshotBucket()));
                } catch (BucketAlreadyOwnedByYouException createdMeanwhile) {
                    // Another process created it between the two calls: what we wanted.
                }
            }
        }
    }

    static String describe(RetentionConfig config, boolean external) {
        return config.aws().s3Endpoint().map(Object::toString).orElse("AWS") + " bucket " + config.snapshotBucket()
                + (external ? " (external, S3_ENDPOINT)" : " (S3Proxy, in memory)");
    }
}
