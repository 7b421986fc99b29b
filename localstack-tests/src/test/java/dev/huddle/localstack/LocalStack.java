package dev.huddle.localstack;

import java.util.Map;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * One LocalStack container per test JVM, started by the first test class that needs it and stopped by
 * Testcontainers when the JVM ends. Only the Community services the adapters use are enabled. The image
 * is pinned (override with {@code -Dlocalstack.image=...}); callers are {@link RequiresDocker} classes.
 */
public final class LocalStack {
    public static final String DEFAULT_IMAGE = "localstack/localstack:4.4";

    private static LocalStackContainer container;

    private LocalStack() {
    }

    public static synchronized LocalStackContainer container() {
        if (container == null) {
            LocalStackContainer started = new LocalStackContainer(
                    DockerImageName.parse(System.getProperty("localstack.image", DEFAULT_IMAGE))
                            .asCompatibleSubstituteFor("localstack/localstack"))
                    .withServices("dynamodb", "sqs", "s3", "secretsmanager");
            started.start();
            container = started;
        }
        return container;
    }

    /**
     * The functions' environment pointing every AWS client at LocalStack, as {@code localstack=true}
     * deploys set it; {@code extra} adds or overrides settings (table, queue, bucket, secret).
     */
    public static Map<String, String> environment(Map<String, String> extra) {
        LocalStackContainer localStack = container();
        String endpoint = localStack.getEndpoint().toString();
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "AWS_REGION", localStack.getRegion(),
                "DYNAMODB_ENDPOINT", endpoint,
                "SQS_ENDPOINT", endpoint,
                "S3_ENDPOINT", endpoint,
                "SECRETS_MANAGER_ENDPOINT", endpoint,
                // The first calls to a fresh container can be slow: the request-path budgets are for AWS.
                "DYNAMODB_TIMEOUT_MS", "5000",
                "SQS_TIMEOUT_MS", "5000",
                "DB_CONNECT_TIMEOUT_MS", "5000"));
        env.putAll(extra);
        return env;
    }
}
