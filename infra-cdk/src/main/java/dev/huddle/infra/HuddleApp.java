package dev.huddle.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.lambda.Code;

/**
 * The CDK app ({@code cdk synth} runs it through infra-cdk/synth-app). Settings come from CDK context;
 * the functions jars (one per {@link FunctionFamily}) and the migrations folder from the repository (paths
 * relative to infra-cdk/, or HUDDLE_FUNCTIONS_JARS_DIR / HUDDLE_MIGRATIONS_DIR).
 */
public final class HuddleApp {
    static final String DEFAULT_JARS_DIR = "../functions/target";
    static final String DEFAULT_MIGRATIONS = "../sql/src/main/resources/db/migration";

    private HuddleApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        HuddleSettings settings = HuddleSettings.fromContext(app.getNode()::tryGetContext);
        Map<FunctionFamily, Code> functionCode = functionCode(Path.of(envOr("HUDDLE_FUNCTIONS_JARS_DIR", DEFAULT_JARS_DIR)));
        String migrationsHash = MigrationsHash.of(Path.of(envOr("HUDDLE_MIGRATIONS_DIR", DEFAULT_MIGRATIONS)));
        String stackName = app.getNode().tryGetContext("stackName") instanceof String name ? name : "HuddleIngest";
        HuddleStack.create(app, stackName, StackProps.builder()
                        .description("huddle-ingest: serverless learner progress and analytics ingestion")
                        // The account and region of the CLI's credentials (cdk deploy --profile / AWS_REGION).
                        .env(Environment.builder()
                                .account(System.getenv("CDK_DEFAULT_ACCOUNT"))
                                .region(System.getenv("CDK_DEFAULT_REGION"))
                                .build())
                        .build(),
                new HuddleStack.Inputs(settings, functionCode, migrationsHash));
        app.synth();
    }

    /** Each family's jar in {@code directory} (functions/target), as the functions' build names it. */
    static Map<FunctionFamily, Code> functionCode(Path directory) {
        Map<FunctionFamily, Code> code = new EnumMap<>(FunctionFamily.class);
        for (FunctionFamily family : FunctionFamily.values()) {
            Path jar = directory.resolve(family.jarName());
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("functions jar missing: " + jar.toAbsolutePath()
                        + " (build it: ./mvnw -pl functions -am package -DskipTests, or run infra-cdk/synth-app)");
            }
            code.put(family, Code.fromAsset(jar.toString()));
        }
        return code;
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
