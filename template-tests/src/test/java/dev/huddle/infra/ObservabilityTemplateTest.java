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
                .contains("\"Huddle/Rollup\",\"rollupEventsProcessed\",\"operation\",\"worker\"");
    }

    @Test
    void alarmsCover5xxRateP95LatencyDeadLettersAndRollupAge() {
        template.resourceCountIs("AWS::CloudWatch::Alarm", 4);
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
