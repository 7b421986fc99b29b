package dev.huddle.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.huddle.retention.RetentionReport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class ObservabilityTemplateTest {
    private final Template template = Synth.template();

    @Test
    void namespacesAreTheOnesTheFunctionsWrite() {
        assertThat(Observability.RETENTION_NAMESPACE).isEqualTo(RetentionReport.NAMESPACE);
    }

    @Test
    void dashboardShowsLatencyErrorsDatabaseQueueDlqAndRetention() {
        template.resourceCountIs("AWS::CloudWatch::Dashboard", 1);
        String body = dashboardBody();
        assertThat(body).contains("\"Huddle/Ingest\",\"BatchLatency\",\"Route\",\"POST /api/client/progress/batch\"")
                .contains("\"stat\":\"p50\"").contains("\"stat\":\"p95\"")
                .contains("\"DbLatency\"").contains("\"Status4xx\"").contains("\"Status5xx\"")
                .contains("filter status = 429")
                .contains("ApproximateNumberOfMessagesVisible").contains("ApproximateAgeOfOldestMessage")
                .contains("\"Huddle\",\"PartitionsDropped\",\"Function\",\"retention\"")
                .contains("\"Huddle/Rollup\",\"rollupEventsProcessed\",\"operation\",\"worker\"")
                .contains("\"AWS/Lambda\",\"Errors\"").contains("\"AWS/Lambda\",\"Throttles\"")
                .contains("FILL(cause0, 0) + FILL(cause1, 0)")
                .contains("\"AWS/RDS\",\"FreeStorageSpace\"").contains("\"AWS/RDS\",\"DatabaseConnections\"")
                .contains("\"Huddle\",\"PartitionsFailed\"").contains("\"Huddle\",\"OldestPartitionAgeDays\"");
    }

    @Test
    void alarmsCover5xxRateP95LatencyDeadLettersAndRollupAge() {
        // 4 API and queue alarms, invalid org ids, errors and throttles of the 8 functions, the rate-limit fallback,
        // 2 RDS, 2 retention.
        template.resourceCountIs("AWS::CloudWatch::Alarm", 4 + 1 + 2 * 8 + 1 + 2 + 2);
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Threshold", 0, "ComparisonOperator", "GreaterThanThreshold",
                "Metrics", List.of(Match.objectLike(Map.of("MetricStat", Match.objectLike(Map.of("Stat", "Sum",
                        "Metric", Map.of("Namespace", "Huddle/Rollup", "MetricName", "rollupInvalidOrgIds",
                                "Dimensions", List.of(Map.of("Name", "operation", "Value", "sweep"))))))))));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Threshold", 1, "ComparisonOperator", "GreaterThanThreshold",
                "Metrics", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Expression", "IF(requests > 0, 100 * errors / requests, 0)"))))));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Threshold", 1000,
                "Metrics", Match.arrayWith(List.of(
                        Match.objectLike(Map.of("Expression", "MAX([route0,route1,route2,route3])")),
                        Match.objectLike(Map.of("MetricStat", Match.objectLike(Map.of("Stat", "p95"))))))));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Threshold", 0, "ComparisonOperator", "GreaterThanThreshold",
                "Metrics", List.of(sqsMetric("ApproximateNumberOfMessagesVisible", "^RollupsDeadLetterQueue.*"))));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Threshold", 300,
                "Metrics", List.of(sqsMetric("ApproximateAgeOfOldestMessage", "^RollupsJobQueue.*"))));
    }

    @Test
    void everyFunctionHasAnErrorAlarmAndAThrottleAlarm() {
        Map<String, Map<String, Object>> functions = template.findResources("AWS::Lambda::Function",
                Map.of("Properties", Map.of("Handler", Match.stringLikeRegexp("^dev\\.huddle\\..*"))));
        assertThat(functions).hasSize(8);
        for (String function : functions.keySet()) {
            for (String metricName : List.of("Errors", "Throttles")) {
                Map<String, Object> metric = Map.of("Namespace", "AWS/Lambda", "MetricName", metricName,
                        "Dimensions", List.of(Map.of("Name", "FunctionName", "Value", Map.of("Ref", function))));
                template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                        "Threshold", 0, "ComparisonOperator", "GreaterThanThreshold", "EvaluationPeriods", 1,
                        "Metrics", List.of(Match.objectLike(Map.of("MetricStat", Match.objectLike(Map.of(
                                "Stat", "Sum", "Period", 300, "Metric", metric)))))));
            }
        }
    }

    @Test
    void theRateLimitFallbackAlarmAddsUpEveryCauseTheRateLimiterEmits() throws Exception {
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Threshold", 0, "ComparisonOperator", "GreaterThanThreshold",
                "Metrics", Match.arrayWith(List.of(
                        Match.objectLike(Map.of("Expression", "FILL(cause0, 0) + FILL(cause1, 0)")),
                        fallbackMetric("dynamodb_error"), fallbackMetric("circuit_open")))));
        // The names the ratelimit package writes (its recorder is package-private: read from its source).
        String recorder = java.nio.file.Files.readString(java.nio.file.Path.of(
                "../functions/src/main/java/dev/huddle/ratelimit/FallbackRecorder.java"));
        assertThat(recorder).contains("\"Namespace\", \"" + Observability.RATE_LIMIT_NAMESPACE + "\"")
                .contains("\"Name\", \"" + Observability.RATE_LIMIT_FALLBACK_METRIC + "\"")
                .contains("Dimensions\", List.of(List.of(\"cause\"))")
                .contains("DYNAMODB_ERROR").contains("CIRCUIT_OPEN").contains("toLowerCase");
    }

    private static Object fallbackMetric(String cause) {
        return Match.objectLike(Map.of("MetricStat", Match.objectLike(Map.of("Stat", "Sum", "Metric", Map.of(
                "Namespace", "HuddleIngest", "MetricName", "RateLimiterFallback",
                "Dimensions", List.of(Map.of("Name", "cause", "Value", cause)))))));
    }

    @Test
    void rdsFreeStorageAndConnectionsAlarm() {
        String instance = template.findResources("AWS::RDS::DBInstance").keySet().iterator().next();
        Map<String, Object> dimensions = Map.of("Name", "DBInstanceIdentifier", "Value", Map.of("Ref", instance));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Threshold", 0.2 * 20 * 1024 * 1024 * 1024, "ComparisonOperator", "LessThanThreshold",
                "Metrics", List.of(Match.objectLike(Map.of("MetricStat", Match.objectLike(Map.of("Stat", "Minimum",
                        "Metric", Map.of("Namespace", "AWS/RDS", "MetricName", "FreeStorageSpace",
                                "Dimensions", List.of(dimensions)))))))));
        int proxyPool = ConnectionBudget.of("t4g.small").proxyConnections();
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Threshold", (int) Math.floor(0.9 * proxyPool), "ComparisonOperator", "GreaterThanThreshold",
                "Metrics", List.of(Match.objectLike(Map.of("MetricStat", Match.objectLike(Map.of("Stat", "Maximum",
                        "Metric", Map.of("Namespace", "AWS/RDS", "MetricName", "DatabaseConnections",
                                "Dimensions", List.of(dimensions)))))))));
    }

    @Test
    void retentionAlarmsOnAFailedPartitionAndOnAPartitionOlderThanTheWindowPlusTwoDays() {
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Threshold", 0, "ComparisonOperator", "GreaterThanThreshold",
                "Namespace", "Huddle", "MetricName", "PartitionsFailed", "Statistic", "Sum", "Period", 86400,
                "Dimensions", List.of(Map.of("Name", "Function", "Value", "retention"))));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Threshold", 30 + 2, "ComparisonOperator", "GreaterThanThreshold",
                "Namespace", "Huddle", "MetricName", "OldestPartitionAgeDays", "Statistic", "Maximum", "Period", 86400));
        Synth.template(Map.of("retentionDays", 7)).hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Threshold", 7 + 2, "MetricName", "OldestPartitionAgeDays"));
    }

    /** One alarm metric: the Maximum of an AWS/SQS metric of the queue whose logical id matches. */
    private static Object sqsMetric(String metricName, String queueLogicalIdPattern) {
        Map<String, Object> dimension = Map.of("Name", "QueueName",
                "Value", Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp(queueLogicalIdPattern), "QueueName")));
        Map<String, Object> metric = Map.of("Namespace", "AWS/SQS", "MetricName", metricName, "Dimensions", List.of(dimension));
        return Match.objectLike(Map.of("MetricStat", Match.objectLike(Map.of("Stat", "Maximum", "Metric", metric))));
    }

    @Test
    void everyAlarmNotifiesTheTopicWhichSubscribesTheEmailFromContext() {
        template.allResourcesProperties("AWS::CloudWatch::Alarm", Map.of(
                "AlarmActions", List.of(Map.of("Ref", Match.stringLikeRegexp("^ObservabilityAlarmTopic.*")))));
        template.resourceCountIs("AWS::SNS::Subscription", 0);
        Synth.template(Map.of("alarmEmail", "ops@example.com")).hasResourceProperties("AWS::SNS::Subscription",
                Map.of("Protocol", "email", "Endpoint", "ops@example.com"));
    }

    @SuppressWarnings("unchecked")
    private String dashboardBody() {
        Map<String, Object> dashboard = template.findResources("AWS::CloudWatch::Dashboard").values().iterator().next();
        Object body = TemplateJson.properties(dashboard).get("DashboardBody");
        // A Fn::Join of literal parts and references: the literal parts hold the metric names.
        List<Object> parts = (List<Object>) ((List<Object>) ((Map<String, Object>) body).get("Fn::Join")).get(1);
        StringBuilder text = new StringBuilder();
        parts.forEach(part -> text.append(part instanceof String s ? s : "<ref>"));
        return text.toString();
    }
}
