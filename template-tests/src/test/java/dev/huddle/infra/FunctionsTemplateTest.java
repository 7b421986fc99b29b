package dev.huddle.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class FunctionsTemplateTest {
    static final List<String> SNAPSTART_HANDLERS = List.of(
            "dev.huddle.ingest.IngestHandler", "dev.huddle.health.HealthHandler",
            "dev.huddle.rollup.AdminRollupsHandler", "dev.huddle.rollup.RollupWorkerHandler",
            "dev.huddle.rollup.RollupSchedulerHandler", "dev.huddle.retention.RetentionHandler",
            "dev.huddle.replay.DeadLetterReplayHandler");
    private final Template template = Synth.template();

    @Test
    void everyJavaFunctionRunsOnTheManagedJava21RuntimeOnArm64() {
        Map<String, Map<String, Object>> javaFunctions = template.findResources("AWS::Lambda::Function",
                Map.of("Properties", Map.of("Handler", Match.stringLikeRegexp("^dev\\.huddle\\..*"))));
        assertThat(javaFunctions).hasSize(SNAPSTART_HANDLERS.size() + 1);
        assertThat(javaFunctions.values()).allSatisfy(f -> assertThat(TemplateJson.properties(f))
                .containsEntry("Runtime", "java21")
                .containsEntry("Architectures", List.of("arm64")));
    }

    @Test
    void everyHandlerTheTemplateNamesIsALambdaHandlerInTheFunctionsJar() throws ClassNotFoundException {
        Map<String, Map<String, Object>> javaFunctions = template.findResources("AWS::Lambda::Function",
                Map.of("Properties", Map.of("Handler", Match.stringLikeRegexp("^dev\\.huddle\\..*"))));
        for (Map<String, Object> function : javaFunctions.values()) {
            String handler = (String) TemplateJson.properties(function).get("Handler");
            // Not initialised: a handler's static state must not need the Lambda environment to load.
            Class<?> type = Class.forName(handler, false, getClass().getClassLoader());
            assertThat(RequestHandler.class).as(handler).isAssignableFrom(type);
            assertThat(type.getConstructors()).as(handler + " needs a public no-arg constructor")
                    .anySatisfy(constructor -> assertThat(constructor.getParameterCount()).isZero());
        }
    }

    @Test
    void everyHandlerOfTheContractHasSnapStartOnPublishedVersions() {
        for (String handler : SNAPSTART_HANDLERS) {
            template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                    "Handler", handler, "SnapStart", Map.of("ApplyOn", "PublishedVersions")));
        }
    }

    @Test
    void theOneShotMigrationFunctionHasNoSnapStart() {
        Map<String, Object> migrations = TemplateJson.functionWithHandler(template, SchemaMigrations.HANDLER).getValue();
        assertThat(TemplateJson.properties(migrations)).doesNotContainKey("SnapStart");
    }

    @Test
    void everyFunctionHasALiveAliasOnAPublishedVersion() {
        template.resourceCountIs("AWS::Lambda::Alias", SNAPSTART_HANDLERS.size() + 1);
        template.allResourcesProperties("AWS::Lambda::Alias", Map.of(
                "Name", JavaFunction.ALIAS,
                "FunctionVersion", Map.of("Fn::GetAtt", List.of(Match.anyValue(), "Version"))));
    }

    @Test
    void triggersInvokeTheAliasNotTheUnpublishedFunction() {
        Map<String, Map<String, Object>> aliases = template.findResources("AWS::Lambda::Alias");
        template.allResourcesProperties("AWS::Events::Rule", Map.of("Targets", List.of(Map.of(
                "Arn", Map.of("Ref", Match.stringLikeRegexp(".*Alias.*"))))));
        template.hasResourceProperties("AWS::Lambda::EventSourceMapping", Map.of(
                "FunctionName", Match.objectLike(Map.of("Fn::Join", List.of("", Match.arrayWith(List.of(":live")))))));
        // API Gateway and EventBridge may invoke only the aliases.
        template.allResourcesProperties("AWS::Lambda::Permission", Map.of(
                "FunctionName", Map.of("Ref", Match.stringLikeRegexp(".*Alias.*"))));
        assertThat(aliases).isNotEmpty();
    }

    @Test
    void ingestHasAShortTimeoutAndMemoryForCpu() {
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", "dev.huddle.ingest.IngestHandler", "Timeout", 10, "MemorySize", 1024));
    }

    @Test
    void workerTimeoutFitsItsBatchOfStatementsAndTheQueueVisibilityIsSixTimesIt() {
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", "dev.huddle.rollup.RollupWorkerHandler", "Timeout", 150,
                "Environment", Map.of("Variables", Match.objectLike(Map.of("ROLLUP_STATEMENT_TIMEOUT_MS", "25000")))));
        assertThat(RollupPipeline.WORKER_BATCH_SIZE * RollupPipeline.WORKER_STATEMENT_TIMEOUT_MS / 1000)
                .isLessThan(150);
        template.hasResourceProperties("AWS::SQS::Queue", Map.of("DelaySeconds", 6, "VisibilityTimeout", 900));
    }

    @Test
    void everyFunctionLogsToItsOwnLogGroupWithRetention() {
        Map<String, Map<String, Object>> functions = template.findResources("AWS::Lambda::Function",
                Map.of("Properties", Map.of("Handler", Match.stringLikeRegexp("^dev\\.huddle\\..*"))));
        assertThat(functions.values()).allSatisfy(f -> assertThat(TemplateJson.properties(f)).containsKey("LoggingConfig"));
        template.allResourcesProperties("AWS::Logs::LogGroup", Map.of("RetentionInDays", 30));
    }

    @Test
    void databaseFunctionsRunInTheVpcAndGetTheProxyUrlAndTheSecret() {
        for (String handler : List.of("dev.huddle.ingest.IngestHandler", "dev.huddle.health.HealthHandler",
                "dev.huddle.rollup.RollupWorkerHandler", "dev.huddle.retention.RetentionHandler", SchemaMigrations.HANDLER)) {
            Map<String, Object> function = TemplateJson.functionWithHandler(template, handler).getValue();
            assertThat(TemplateJson.properties(function)).containsKey("VpcConfig");
            Map<String, Object> env = TemplateJson.environment(function);
            assertThat(env).containsKeys("DB_URL", "DB_SECRET_ARN");
            // No sslmode in the URL: it would override DB_SSL_MODE, which verifies the server's certificate.
            assertThat(env.get("DB_URL").toString()).contains("DatabaseInstanceProxy").contains(":5432/huddle")
                    .doesNotContain("sslmode");
            assertThat(env).containsEntry("DB_SSL_MODE", "verify-full");
        }
    }

    @Test
    void theReplayFunctionCallsOnlySqsSoItStaysOutsideTheVpc() {
        Map<String, Object> replay = TemplateJson.functionWithHandler(template, "dev.huddle.replay.DeadLetterReplayHandler").getValue();
        assertThat(TemplateJson.properties(replay)).doesNotContainKey("VpcConfig");
        assertThat(TemplateJson.environment(replay)).containsKeys("ROLLUP_QUEUE_URL", "ROLLUP_DLQ_URL");
    }
}
