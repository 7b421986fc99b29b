package dev.huddle.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/** What each function may do: the union of its role's statements, by action. */
class IamTemplateTest {
    private static final List<String> LOGS = List.of("logs:CreateLogStream", "logs:PutLogEvents");
    private static final List<String> ENI = List.of("ec2:AssignPrivateIpAddresses", "ec2:CreateNetworkInterface",
            "ec2:DeleteNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets",
            "ec2:UnassignPrivateIpAddresses");
    private static final List<String> SECRET = List.of("secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue");
    private final Template template = Synth.template();

    @Test
    void ingestMayUpdateRateLimitItemsSendJobsAndReadTheDatabaseSecret() {
        assertThat(actionsOf("dev.huddle.ingest.IngestHandler"))
                .containsExactlyInAnyOrderElementsOf(concat(LOGS, ENI, SECRET, List.of("dynamodb:UpdateItem", "sqs:SendMessage")));
        assertThat(resourcesOf("dev.huddle.ingest.IngestHandler", "dynamodb:UpdateItem"))
                .singleElement().asString().contains("IngestRateLimitTable");
        assertThat(resourcesOf("dev.huddle.ingest.IngestHandler", "sqs:SendMessage"))
                .singleElement().asString().contains("RollupsJobQueue");
    }

    @Test
    void healthReadsTheSecretAndTheJobQueueDepth_adminOnlyTheSecret() {
        assertThat(actionsOf("dev.huddle.health.HealthHandler"))
                .containsExactlyInAnyOrderElementsOf(concat(LOGS, ENI, SECRET, List.of("sqs:GetQueueAttributes")));
        assertThat(resourcesOf("dev.huddle.health.HealthHandler", "sqs:GetQueueAttributes"))
                .singleElement().asString().contains("RollupsJobQueue");
        assertThat(TemplateJson.environment(TemplateJson.functionWithHandler(template, "dev.huddle.health.HealthHandler")
                .getValue())).containsKey("ROLLUP_QUEUE_URL");
        assertThat(actionsOf("dev.huddle.rollup.AdminRollupsHandler")).containsExactlyInAnyOrderElementsOf(concat(LOGS, ENI, SECRET));
    }

    @Test
    void workerConsumesTheJobQueueAndSendsContinuations() {
        assertThat(actionsOf("dev.huddle.rollup.RollupWorkerHandler")).containsExactlyInAnyOrderElementsOf(concat(LOGS, ENI, SECRET,
                List.of("sqs:ReceiveMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueUrl", "sqs:DeleteMessage",
                        "sqs:GetQueueAttributes", "sqs:SendMessage")));
        assertThat(resourcesOf("dev.huddle.rollup.RollupWorkerHandler", "sqs:ReceiveMessage"))
                .singleElement().asString().contains("RollupsJobQueue");
    }

    @Test
    void sweepOnlySendsJobs() {
        assertThat(actionsOf("dev.huddle.rollup.RollupSchedulerHandler"))
                .containsExactlyInAnyOrderElementsOf(concat(LOGS, ENI, SECRET, List.of("sqs:SendMessage")));
    }

    @Test
    void replayReadsTheDeadLettersAndSendsToTheJobQueueOnly() {
        String replay = "dev.huddle.replay.DeadLetterReplayHandler";
        assertThat(actionsOf(replay)).containsExactlyInAnyOrderElementsOf(concat(LOGS, List.of(
                "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes",
                "sqs:SendMessage")));
        assertThat(resourcesOf(replay, "sqs:DeleteMessage")).singleElement().asString().contains("RollupsDeadLetterQueue");
        assertThat(resourcesOf(replay, "sqs:SendMessage")).singleElement().asString().contains("RollupsJobQueue");
    }

    @Test
    void retentionWritesAndReadsSnapshotsButCannotDeleteThem() {
        String retention = "dev.huddle.retention.RetentionHandler";
        assertThat(actionsOf(retention)).containsExactlyInAnyOrderElementsOf(concat(LOGS, ENI, SECRET, List.of(
                "s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload", "s3:ListBucket")));
        assertThat(resourcesOf(retention, "s3:PutObject")).singleElement().asString().contains("RetentionSnapshotBucket").contains("/*");
    }

    @Test
    void noFunctionRoleHasAWildcardActionOrAManagedPolicy() {
        for (String handler : handlers()) {
            Map<String, Object> function = TemplateJson.functionWithHandler(template, handler).getValue();
            String role = TemplateJson.roleOf(function);
            assertThat(TemplateJson.statementsOfRole(template, role)).allSatisfy(statement ->
                    assertThat(TemplateJson.actions(statement)).noneMatch(a -> a.contains("*")));
            Map<String, Object> roleResource = template.findResources("AWS::IAM::Role").get(role);
            assertThat(TemplateJson.properties(roleResource)).doesNotContainKey("ManagedPolicyArns");
        }
    }

    @Test
    void theOnlyWildcardResourceIsTheVpcNetworkInterfaceStatement() {
        for (String handler : handlers()) {
            String role = TemplateJson.roleOf(TemplateJson.functionWithHandler(template, handler).getValue());
            List<Map<String, Object>> wildcard = TemplateJson.statementsOfRole(template, role).stream()
                    .filter(s -> TemplateJson.resources(s).contains("*")).toList();
            assertThat(wildcard).allSatisfy(s -> assertThat(TemplateJson.actions(s)).allMatch(a -> a.startsWith("ec2:")));
        }
    }

    private List<String> handlers() {
        return concat(FunctionsTemplateTest.SNAPSTART_HANDLERS, List.of(SchemaMigrations.HANDLER));
    }

    private List<String> actionsOf(String handler) {
        String role = TemplateJson.roleOf(TemplateJson.functionWithHandler(template, handler).getValue());
        return TemplateJson.statementsOfRole(template, role).stream()
                .flatMap(s -> TemplateJson.actions(s).stream()).distinct().collect(Collectors.toList());
    }

    private List<String> resourcesOf(String handler, String action) {
        String role = TemplateJson.roleOf(TemplateJson.functionWithHandler(template, handler).getValue());
        return TemplateJson.statementsOfRole(template, role).stream()
                .filter(s -> TemplateJson.actions(s).contains(action))
                .flatMap(s -> TemplateJson.resources(s).stream()).map(String::valueOf).distinct().toList();
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
    }
}
