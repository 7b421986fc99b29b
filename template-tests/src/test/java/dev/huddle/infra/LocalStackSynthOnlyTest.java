package dev.huddle.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.huddle.common.AwsConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * Runs {@code infra-cdk/localstack/deploy.sh --synth-only} as a user would (a bash process: the pinned
 * cdklocal, synth-app, the real functions jar) and checks the LocalStack template it writes to
 * infra-cdk/cdk.out.localstack/ against what infra-cdk/localstack/README.md promises. HUDDLE_PREBUILT=1:
 * the reactor has just packaged the jar and the CDK app (the README's test command is {@code verify}).
 */
class LocalStackSynthOnlyTest {
    static final URI LOCALSTACK_FROM_LAMBDA = URI.create("http://localhost.localstack.cloud:4566");
    private static final Path ASSEMBLY = ScriptRun.ROOT.resolve("infra-cdk/cdk.out.localstack");
    private static Template template;

    @BeforeAll
    static void synthOnly() throws Exception {
        ScriptRun run = ScriptRun.bash(Map.of("HUDDLE_PREBUILT", "1"), "infra-cdk/localstack/deploy.sh", "--synth-only");

        assertThat(run.exitCode()).as("deploy.sh --synth-only exit code; its output:%n%s", run.output()).isZero();
        assertThat(run.output()).contains("Synthesized the LocalStack template into infra-cdk/cdk.out.localstack/");
        template = Template.fromString(Files.readString(ASSEMBLY.resolve("HuddleIngest.template.json")));
    }

    @Test
    void noSnapStartNoRdsProxyNoRotation() {
        template.allResourcesProperties("AWS::Lambda::Function", Map.of("SnapStart", Match.absent()));
        template.resourceCountIs("AWS::RDS::DBProxy", 0);
        template.resourceCountIs("AWS::Serverless::Application", 0);
        template.resourceCountIs("AWS::RDS::DBInstance", 1);
    }

    @Test
    void everyFunctionNamesTheLocalStackEndpoint() {
        Map<String, Map<String, Object>> functions = template.findResources("AWS::Lambda::Function");
        assertThat(functions).isNotEmpty();
        functions.forEach((id, function) -> assertThat(TemplateJson.environment(function))
                .as("environment of %s", id)
                .containsEntry("AWS_ENDPOINT_URL", LOCALSTACK_FROM_LAMBDA.toString()));
    }

    @Test
    void theFunctionsConfigReadsLocalStackForEveryAwsService() {
        Map<String, Map<String, Object>> javaFunctions = template.findResources("AWS::Lambda::Function",
                Map.of("Properties", Map.of("Runtime", "java21")));
        assertThat(javaFunctions).hasSizeGreaterThanOrEqualTo(8);
        javaFunctions.forEach((id, function) -> {
            AwsConfig config = AwsConfig.from(plainValues(TemplateJson.environment(function)));
            assertThat(Stream.of(config.dynamoDbEndpoint(), config.sqsEndpoint(), config.s3Endpoint(),
                    config.secretsManagerEndpoint())).as("AWS endpoints of %s", id)
                    .allSatisfy(endpoint -> assertThat(endpoint).contains(LOCALSTACK_FROM_LAMBDA));
        });
    }

    @Test
    void theFunctionsConnectToTheDatabaseInstance() {
        Object dbUrl = TemplateJson.environment(
                TemplateJson.functionWithHandler(template, "dev.huddle.ingest.IngestHandler").getValue()).get("DB_URL");
        assertThat(dbUrl.toString()).contains("DatabaseInstance").contains("Endpoint.Address").doesNotContain("Proxy");
    }

    @Test
    void theFunctionsCodeIsTheRealJar() throws Exception {
        try (Stream<Path> files = Files.list(ASSEMBLY)) {
            assertThat(files.map(path -> path.getFileName().toString()))
                    .as("the functions jar copied into the assembly as an asset")
                    .anyMatch(name -> name.startsWith("asset.") && name.endsWith(".jar"));
        }
    }

    /** The variables whose values are plain strings (references to other resources resolve only at deploy). */
    private static Map<String, String> plainValues(Map<String, Object> environment) {
        Map<String, String> plain = new LinkedHashMap<>();
        environment.forEach((name, value) -> {
            if (value instanceof String text) {
                plain.put(name, text);
            }
        });
        return plain;
    }
}
