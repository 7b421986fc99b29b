package dev.huddle.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * Least privilege on AWS (issue 10): a secret per database role, each registered with the RDS Proxy and
 * rotated, each function reading only its own; and the connection budget (issue 9): the proxy's pool and
 * ingest's reserved concurrency leave connections for the rollups, retention and health.
 */
class DatabaseRolesTemplateTest {
    /** Which role each database function logs in as. */
    private static final Map<String, DatabaseRole> ROLE_OF_HANDLER = Map.of(
            "dev.huddle.ingest.IngestHandler", DatabaseRole.INGEST,
            "dev.huddle.health.HealthHandler", DatabaseRole.HEALTH,
            "dev.huddle.rollup.AdminRollupsHandler", DatabaseRole.ADMIN_API,
            "dev.huddle.rollup.RollupWorkerHandler", DatabaseRole.ROLLUP_WORKER,
            "dev.huddle.rollup.RollupSchedulerHandler", DatabaseRole.ROLLUP_SWEEP,
            "dev.huddle.retention.RetentionHandler", DatabaseRole.RETENTION);
    private static final String ADMIN = "huddle_admin";

    private final Template template = Synth.template();

    @Test
    void theStackHoldsASecretForExactlyTheRolesTheMigrationsCreate() {
        // Two lists of one fact (infra-cdk cannot depend on the sql module's Flyway): they must not drift.
        assertThat(DatabaseRole.values()).extracting(DatabaseRole::roleName)
                .containsExactlyElementsOf(java.util.Arrays.stream(dev.huddle.sql.DatabaseRole.values())
                        .map(dev.huddle.sql.DatabaseRole::roleName).toList());
        assertThat(DatabaseRole.OWNER).isEqualTo(dev.huddle.sql.DatabaseRole.OWNER);
    }

    @Test
    void everyLoginRoleHasItsOwnGeneratedSecretInTheRdsFormat() {
        assertThat(DatabaseRole.values()).extracting(DatabaseRole::roleName).containsExactly("huddle_migrator",
                "huddle_ingest", "huddle_health", "huddle_admin_api", "huddle_rollup_worker", "huddle_rollup_sweep",
                "huddle_retention");
        for (DatabaseRole role : DatabaseRole.values()) {
            Map<String, Object> secret = template.findResources("AWS::SecretsManager::Secret").get(secretOf(role.roleName()));
            @SuppressWarnings("unchecked")
            Map<String, Object> generate = (Map<String, Object>) TemplateJson.properties(secret).get("GenerateSecretString");
            assertThat(generate).as(role.roleName()).containsEntry("GenerateStringKey", "password");
            // Characters RDS and connection strings reject are never generated.
            assertThat((String) generate.get("ExcludeCharacters")).contains(" ", "/", "@", "\"", "'", "\\");
            // The attachment adds host, port, engine and the instance to the secret's JSON.
            template.hasResourceProperties("AWS::SecretsManager::SecretTargetAttachment", Map.of(
                    "SecretId", Map.of("Ref", secretOf(role.roleName())), "TargetType", "AWS::RDS::DBInstance"));
        }
        assertThat(template.findResources("AWS::SecretsManager::Secret")).hasSize(1 + DatabaseRole.values().length);
    }

    @Test
    void theProxyHasOneSecretsAuthEntryPerLoginRoleAndTheAdmin() {
        Map<String, Object> proxy = template.findResources("AWS::RDS::DBProxy").values().iterator().next();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> auth = (List<Map<String, Object>>) TemplateJson.properties(proxy).get("Auth");
        List<Object> expected = new ArrayList<>();
        expected.add(Map.of("Ref", attachmentOf(ADMIN)));
        for (DatabaseRole role : DatabaseRole.values()) {
            expected.add(Map.of("Ref", attachmentOf(role.roleName())));
        }
        assertThat(auth).extracting(entry -> entry.get("SecretArn")).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(auth).allSatisfy(entry -> assertThat(entry)
                .containsEntry("AuthScheme", "SECRETS").containsEntry("IAMAuth", "DISABLED"));
    }

    @Test
    void everySecretRotatesItselfEvery30Days_theRolesOnlyAfterTheMigrationsCreatedThem() {
        String schema = template.findResources("Custom::HuddleSchema").keySet().iterator().next();
        for (DatabaseRole role : DatabaseRole.values()) {
            template.hasResourceProperties("AWS::SecretsManager::RotationSchedule", Map.of(
                    "SecretId", Map.of("Ref", attachmentOf(role.roleName())),
                    "RotationRules", Map.of("ScheduleExpression", "rate(30 days)"),
                    "RotationLambdaARN", Map.of("Fn::GetAtt", List.of(
                            Match.stringLikeRegexp("^Database" + role.constructId() + "Rotation.*"), "Outputs.RotationLambdaARN"))));
            template.hasResource("AWS::Serverless::Application", Map.of(
                    "Properties", Match.objectLike(Map.of("Location", Match.objectLike(Map.of(
                            "ApplicationId", Match.anyValue())))),
                    "DependsOn", Match.arrayWith(List.of(schema))));
        }
        template.hasResourceProperties("AWS::SecretsManager::RotationSchedule", Map.of(
                "SecretId", Map.of("Ref", attachmentOf(ADMIN))));
        // Single-user rotation: the Serverless Application Repository app that logs in as the secret's own user.
        Map<String, Map<String, Object>> applications = template.findMappings("*", Map.of());
        Map<String, Map<String, Object>> rotationApps = new LinkedHashMap<>();
        applications.forEach((id, mapping) -> {
            if (id.contains("RotationSARMapping")) {
                rotationApps.put(id, mapping);
            }
        });
        assertThat(rotationApps).hasSize(1 + DatabaseRole.values().length);
        assertThat(rotationApps.values()).allSatisfy(mapping -> assertThat(mapping.toString())
                .contains("SecretsManagerRDSPostgreSQLRotationSingleUser"));
    }

    @Test
    void eachDatabaseFunctionGetsAndMayReadOnlyItsOwnRolesSecret() {
        ROLE_OF_HANDLER.forEach((handler, role) -> {
            Map<String, Object> function = TemplateJson.functionWithHandler(template, handler).getValue();
            Object ownSecret = Map.of("Ref", attachmentOf(role.roleName()));
            assertThat(TemplateJson.environment(function)).as(handler).containsEntry("DB_SECRET_ARN", ownSecret)
                    .doesNotContainKey("DB_ROLE_SECRET_ARNS");
            assertThat(secretResourcesOf(function)).as(handler).containsExactly(ownSecret);
            assertThat(actionsOf(function)).as("password auth through the proxy: no IAM database auth")
                    .doesNotContain("rds-db:connect");
        });
    }

    @Test
    void theMigrationsGetTheAdminSecretForBootstrapAndEveryRolesSecretByName() {
        Map<String, Object> migrations = TemplateJson.functionWithHandler(template, SchemaMigrations.HANDLER).getValue();
        Map<String, Object> env = TemplateJson.environment(migrations);
        assertThat(env).containsEntry("DB_SECRET_ARN", Map.of("Ref", attachmentOf(ADMIN)));
        Map<String, Object> expectedArns = new LinkedHashMap<>();
        List<Object> allSecrets = new ArrayList<>(List.of(Map.of("Ref", attachmentOf(ADMIN))));
        for (DatabaseRole role : DatabaseRole.values()) {
            expectedArns.put(role.roleName(), Map.of("Ref", attachmentOf(role.roleName())));
            allSecrets.add(Map.of("Ref", attachmentOf(role.roleName())));
        }
        assertThat(joinedJson(env.get("DB_ROLE_SECRET_ARNS"))).isEqualTo(expectedArns);
        assertThat(secretResourcesOf(migrations)).containsExactlyInAnyOrderElementsOf(allSecrets);
    }

    @Test
    void theProxyPoolIsCappedAndABorrowWaitsBrieflyWhileIngestsConcurrencyLeavesRoomForTheOthers() {
        template.hasResourceProperties("AWS::RDS::DBProxyTargetGroup", Map.of("ConnectionPoolConfigurationInfo", Map.of(
                "MaxConnectionsPercent", ConnectionBudget.PROXY_MAX_CONNECTIONS_PERCENT,
                "ConnectionBorrowTimeout", (int) Database.BORROW_TIMEOUT.toSeconds())));
        assertThat(Database.BORROW_TIMEOUT.toSeconds().intValue()).isLessThan(Ingest.TIMEOUT.toSeconds().intValue());

        ConnectionBudget small = ConnectionBudget.of("t4g.small");
        assertThat(small.ingestLimit(5)).as("the default instance has room for the default").isGreaterThanOrEqualTo(100);
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", "dev.huddle.ingest.IngestHandler", "ReservedConcurrentExecutions", 100));
        assertThat(template.findResources("AWS::Lambda::Function", Map.of("Properties",
                Map.of("ReservedConcurrentExecutions", Match.anyValue())))).as("only ingest reserves concurrency").hasSize(1);

        // A smaller instance gets a smaller default; an explicit value beyond the budget fails the synth.
        ConnectionBudget micro = ConnectionBudget.of("t4g.micro");
        assertThat(micro.ingestLimit(5)).isBetween(1, 99);
        Synth.template(Map.of("dbInstanceClass", "t4g.micro")).hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", "dev.huddle.ingest.IngestHandler", "ReservedConcurrentExecutions", micro.ingestLimit(5)));
        Synth.template(Map.of("ingestReservedConcurrency", "40")).hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", "dev.huddle.ingest.IngestHandler", "ReservedConcurrentExecutions", 40));
        assertThatThrownBy(() -> HuddleSettings.fromMap(Map.of("dbInstanceClass", "t4g.micro", "ingestReservedConcurrency", 100)))
                .hasMessageStartingWith("ingestReservedConcurrency must be 1.." + micro.ingestLimit(5) + " on t4g.micro");
    }

    private String secretOf(String username) {
        Map<String, Map<String, Object>> found = new LinkedHashMap<>();
        template.findResources("AWS::SecretsManager::Secret").forEach((id, secret) -> {
            if (TemplateJson.properties(secret).toString().contains("\"username\":\"" + username + "\"")) {
                found.put(id, secret);
            }
        });
        assertThat(found).as("the secret of " + username).hasSize(1);
        return found.keySet().iterator().next();
    }

    private String attachmentOf(String username) {
        Map<String, Map<String, Object>> found = template.findResources("AWS::SecretsManager::SecretTargetAttachment",
                Map.of("Properties", Map.of("SecretId", Map.of("Ref", secretOf(username)))));
        assertThat(found).as("the attachment of " + username).hasSize(1);
        return found.keySet().iterator().next();
    }

    private List<Object> secretResourcesOf(Map<String, Object> function) {
        List<Object> resources = new ArrayList<>();
        for (Map<String, Object> statement : TemplateJson.statementsOfRole(template, TemplateJson.roleOf(function))) {
            if (TemplateJson.actions(statement).contains("secretsmanager:GetSecretValue")) {
                resources.addAll(TemplateJson.resources(statement));
            }
        }
        return resources;
    }

    private List<String> actionsOf(Map<String, Object> function) {
        return TemplateJson.statementsOfRole(template, TemplateJson.roleOf(function)).stream()
                .flatMap(statement -> TemplateJson.actions(statement).stream()).toList();
    }

    /** {"role": {"Ref": id}, ...} from the Fn::Join that Stack.toJsonString writes. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> joinedJson(Object join) {
        List<Object> parts = (List<Object>) ((List<Object>) ((Map<String, Object>) join).get("Fn::Join")).get(1);
        Map<String, Object> result = new LinkedHashMap<>();
        String pendingKey = null;
        for (Object part : parts) {
            if (part instanceof String text) {
                java.util.regex.Matcher key = java.util.regex.Pattern.compile("\"([a-z_]+)\":\"$").matcher(text);
                pendingKey = key.find() ? key.group(1) : null;
            } else {
                result.put(pendingKey, part);
            }
        }
        return result;
    }
}
