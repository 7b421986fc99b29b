package dev.huddle.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.NoncurrentVersionTransition;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.s3.StorageClass;
import software.amazon.awscdk.services.s3.Transition;
import software.constructs.Construct;

/**
 * Nightly retention: the function snapshots each expired daily partition to S3, then drops it, and keeps
 * partitions created ahead. The snapshot bucket is encrypted with S3-managed keys (SSE-S3): the data never
 * leaves the account and its access is controlled by IAM, and SSE-KMS would add a key policy to maintain
 * and a KMS request per object for no reader other than this stack. Public access is blocked, TLS is
 * enforced, versions are kept (a snapshot overwritten by a re-run can be recovered) and objects move to
 * Glacier Instant Retrieval, read rarely but at once when needed.
 */
public final class Retention extends Construct {
    /** Long enough for a night with many partitions to export; the function's own limit is 15 minutes. */
    public static final Duration TIMEOUT = Duration.minutes(15);

    private final Bucket bucket;
    private final JavaFunction function;
    private final Rule schedule;

    Retention(Construct scope, String id, FunctionFactory functions, HuddleSettings settings) {
        super(scope, id);
        RemovalPolicy removal = settings.removalPolicy() == HuddleSettings.Removal.DESTROY
                ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
        bucket = Bucket.Builder.create(this, "SnapshotBucket")
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .enforceSsl(true)
                .versioned(true)
                .lifecycleRules(List.of(LifecycleRule.builder()
                        .id("colder-after-" + settings.snapshotColdAfterDays() + "-days")
                        .transitions(List.of(Transition.builder()
                                .storageClass(StorageClass.GLACIER_INSTANT_RETRIEVAL)
                                .transitionAfter(Duration.days(settings.snapshotColdAfterDays()))
                                .build()))
                        .noncurrentVersionTransitions(List.of(NoncurrentVersionTransition.builder()
                                .storageClass(StorageClass.GLACIER_INSTANT_RETRIEVAL)
                                .transitionAfter(Duration.days(settings.snapshotColdAfterDays()))
                                .build()))
                        .abortIncompleteMultipartUploadAfter(Duration.days(1))
                        .build()))
                .removalPolicy(removal)
                .autoDeleteObjects(false)
                .build();

        function = functions.databaseFunction(this, "Function", DatabaseRole.RETENTION, new FunctionFactory.Spec(FunctionFamily.RETENTION,
                "dev.huddle.retention.RetentionHandler",
                "Nightly: snapshots expired daily partitions to S3, drops them, creates partitions ahead",
                1024, TIMEOUT,
                Map.of("SNAPSHOT_BUCKET", bucket.getBucketName(),
                        "RETENTION_DAYS", Integer.toString(settings.retentionDays()))));
        // Multipart uploads (s3:PutObject covers create/upload/complete), reading a snapshot's manifest back,
        // and HeadObject: without s3:ListBucket a missing key answers 403 instead of 404.
        function.role().addToPolicy(PolicyStatement.Builder.create()
                .sid("WriteAndCheckSnapshots")
                .actions(List.of("s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload"))
                .resources(List.of(bucket.arnForObjects("*")))
                .build());
        function.role().addToPolicy(PolicyStatement.Builder.create()
                .sid("MissingSnapshotIs404")
                .actions(List.of("s3:ListBucket"))
                .resources(List.of(bucket.getBucketArn()))
                .build());

        NagExemptions.suppressWithChildren(function.role(), "AwsSolutions-IAM5",
                "Snapshot keys are per partition and day (snapshots/<table>/<day>/...), unknown at deploy; the "
                        + "statement is limited to this bucket's objects and to put/get/abort",
                NagExemptions.regex("^Resource::<RetentionSnapshotBucket[A-Za-z0-9]+\\.Arn>/\\*$"));
        NagExemptions.suppress(bucket, "AwsSolutions-S1",
                "Only the retention function writes here, nightly, with its own log line per run; a server access "
                        + "log bucket would double the objects for no reader. Enable CloudTrail S3 data events if an "
                        + "audit trail of reads is required");
        // The run is idempotent and takes a lock: a retry after a failure is safe.
        schedule = function.invokeOnSchedule(this, "Schedule", "huddle retention, nightly",
                Schedule.expression(settings.retentionSchedule()), 2);
    }

    public Bucket bucket() {
        return bucket;
    }

    public JavaFunction function() {
        return function;
    }

    public Rule schedule() {
        return schedule;
    }
}
