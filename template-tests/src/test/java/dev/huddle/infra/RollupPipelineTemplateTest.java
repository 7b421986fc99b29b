package dev.huddle.infra;

import dev.huddle.rollup.RollupJobQueue;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class RollupPipelineTemplateTest {
    private final Template template = Synth.template();

    @Test
    void jobQueueIsFifoWithExplicitDeduplicationADelayAndARedriveToAFifoDlq() {
        template.resourceCountIs("AWS::SQS::Queue", 2);
        template.hasResourceProperties("AWS::SQS::Queue", Map.of(
                "FifoQueue", true,
                "ContentBasedDeduplication", false,
                // The functions' own constant: the fan-out's bucket + 1 s, so the stack cannot drift from it.
                "DelaySeconds", RollupJobQueue.QUEUE_DELAY_SECONDS,
                "SqsManagedSseEnabled", true,
                "RedrivePolicy", Map.of(
                        "deadLetterTargetArn", Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("^RollupsDeadLetterQueue.*"), "Arn")),
                        "maxReceiveCount", 5)));
        template.hasResourceProperties("AWS::SQS::Queue", Map.of(
                "FifoQueue", true, "RedrivePolicy", Match.absent(), "MessageRetentionPeriod", 14 * 24 * 3600));
    }

    @Test
    void bothQueuesRefuseRequestsWithoutTls() {
        template.resourceCountIs("AWS::SQS::QueuePolicy", 2);
        template.allResourcesProperties("AWS::SQS::QueuePolicy", Map.of("PolicyDocument", Map.of(
                "Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Deny", "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))));
    }

    @Test
    void workerConsumesWithPartialBatchFailuresABatchSizeAndMaximumConcurrency() {
        template.resourceCountIs("AWS::Lambda::EventSourceMapping", 1);
        template.hasResourceProperties("AWS::Lambda::EventSourceMapping", Map.of(
                "BatchSize", 5,
                "FunctionResponseTypes", List.of("ReportBatchItemFailures"),
                "ScalingConfig", Map.of("MaximumConcurrency", 5),
                "EventSourceArn", Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("^RollupsJobQueue.*"), "Arn"))));
        Synth.template(Map.of("workerMaxConcurrency", "2")).hasResourceProperties("AWS::Lambda::EventSourceMapping",
                Map.of("ScalingConfig", Map.of("MaximumConcurrency", 2)));
    }

    @Test
    void theSweepRunsEveryMinuteWithoutRetries() {
        template.hasResourceProperties("AWS::Events::Rule", Map.of(
                "ScheduleExpression", "rate(1 minute)",
                "Targets", List.of(Match.objectLike(Map.of(
                        "Arn", Map.of("Ref", Match.stringLikeRegexp("^RollupsSweepAlias.*")),
                        "RetryPolicy", Map.of("MaximumRetryAttempts", 0))))));
    }
}
