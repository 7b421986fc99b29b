package dev.huddle.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.lambda.Code;

/**
 * The CDK app ({@code cdk synth} runs it through infra-cdk/synth-app). Settings come from CDK context;
 * the functions jar and the migrations folder from the repository (paths relative to infra-cdk/, or
 * HUDDLE_FUNCTIONS_JAR / HUDDLE_MIGRATIONS_DIR).
 */
public final class HuddleApp {
    static final String DEFAULT_JAR = "../functions/target/huddle-functions-0.1.0-SNAPSHOT-lambda.jar";
    static final String DEFAULT_MIGRATIONS = "../sql/src/main/resources/db/migration";

    private HuddleApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        HuddleSettings settings = HuddleSettings.fromContext(app.getNode()::tryGetContext);
        Path jar = Path.of(envOr("HUDDLE_FUNCTIONS_JAR", DEFAULT_JAR));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("functions jar missing: " + jar.toAbsolutePath()
                    + " (build it: ./mvnw -pl functions -am package -DskipTests, or run infra-cdk/synth-app)");
        }
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
                new HuddleStack.Inputs(settings, Code.fromAsset(jar.toString()), migrationsHash));
        app.synth();
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
