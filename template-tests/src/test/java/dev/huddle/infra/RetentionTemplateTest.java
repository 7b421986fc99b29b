package dev.huddle.infra;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class RetentionTemplateTest {
    private final Template template = Synth.template();

    @Test
    void snapshotBucketIsEncryptedPrivateVersionedAndMovesToAColderClass() {
        template.hasResourceProperties("AWS::S3::Bucket", Map.of(
                "BucketEncryption", Map.of("ServerSideEncryptionConfiguration", List.of(Map.of(
                        "ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))),
                "PublicAccessBlockConfiguration", Map.of(
                        "BlockPublicAcls", true, "BlockPublicPolicy", true,
                        "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
                "VersioningConfiguration", Map.of("Status", "Enabled"),
                "LifecycleConfiguration", Map.of("Rules", List.of(Match.objectLike(Map.of(
                        "Status", "Enabled",
                        "Transitions", List.of(Map.of("StorageClass", "GLACIER_IR", "TransitionInDays", 30))))))));
        template.hasResource("AWS::S3::Bucket", Map.of("DeletionPolicy", "Retain"));
    }

    @Test
    void snapshotBucketRefusesRequestsWithoutTls() {
        template.hasResourceProperties("AWS::S3::BucketPolicy", Map.of("PolicyDocument", Map.of(
                "Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Deny", "Action", "s3:*",
                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))));
    }

    @Test
    void retentionRunsNightlyAt0315UtcThroughItsAliasWithRetries() {
        template.hasResourceProperties("AWS::Events::Rule", Map.of(
                "ScheduleExpression", "cron(15 3 * * ? *)",
                "Targets", List.of(Match.objectLike(Map.of(
                        "Arn", Map.of("Ref", Match.stringLikeRegexp("^RetentionFunctionAlias.*")),
                        "RetryPolicy", Match.objectLike(Map.of("MaximumRetryAttempts", 2)))))));
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", "dev.huddle.retention.RetentionHandler", "Timeout", 900,
                "Environment", Map.of("Variables", Match.objectLike(Map.of(
                        "SNAPSHOT_BUCKET", Map.of("Ref", Match.stringLikeRegexp("^RetentionSnapshotBucket.*")),
                        "RETENTION_DAYS", "30")))));
    }

    @Test
    void scheduleRetentionDaysAndColdTransitionComeFromContext() {
        Template custom = Synth.template(Map.of("retentionSchedule", "cron(0 2 * * ? *)", "retentionDays", "45",
                "snapshotColdAfterDays", 60));
        custom.hasResourceProperties("AWS::Events::Rule", Map.of("ScheduleExpression", "cron(0 2 * * ? *)"));
        custom.hasResourceProperties("AWS::Lambda::Function", Map.of("Handler", "dev.huddle.retention.RetentionHandler",
                "Environment", Map.of("Variables", Match.objectLike(Map.of("RETENTION_DAYS", "45")))));
        custom.hasResourceProperties("AWS::S3::Bucket", Map.of("LifecycleConfiguration", Map.of("Rules", List.of(
                Match.objectLike(Map.of("Transitions", List.of(Map.of("StorageClass", "GLACIER_IR", "TransitionInDays", 60))))))));
    }
}
