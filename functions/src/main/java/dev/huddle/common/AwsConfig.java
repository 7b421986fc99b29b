package dev.huddle.common;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The AWS settings the functions share: the region, each service's endpoint override (dynalite, ElasticMQ,
 * S3Proxy, LocalStack; empty on AWS) and the request path's budgets ({@link AwsClients}).
 *
 * @param dynamoDbTimeout bounds a rate-limit call, its one retry included (100 ms): DynamoDB answers in
 *     single-digit milliseconds, and a call that does not is better decided in memory at once
 *     ({@code FailOpenRateLimiter}) than left holding an execution environment; on the local stack, a late
 *     dynalite held environments for 300 ms each and the front shed what came meanwhile (docs/PERFORMANCE.md)
 * @param dynamoDbFirstCallTimeout bounds a container's first rate-limit call (1 s): it loads the SDK's request
 *     path and opens the connection (about 400 ms in a fresh JVM), so the warm budget would send every cold
 *     start to the fallback
 * @param sqsTimeout bounds the fan-out send on the ingest path (the events are committed by then)
 */
public record AwsConfig(
        String region,
        Optional<URI> dynamoDbEndpoint,
        Duration dynamoDbTimeout,
        Duration dynamoDbFirstCallTimeout,
        Optional<URI> sqsEndpoint,
        Duration sqsTimeout,
        Optional<URI> s3Endpoint,
        Optional<URI> secretsManagerEndpoint) {

    public static AwsConfig from(Map<String, String> env) {
        Settings s = Settings.of(env);
        return new AwsConfig(
                s.text("AWS_REGION", "us-east-1"),
                s.optionalUri("DYNAMODB_ENDPOINT"),
                s.millis("DYNAMODB_TIMEOUT_MS", 100),
                s.millis("DYNAMODB_FIRST_CALL_TIMEOUT_MS", 1_000),
                s.optionalUri("SQS_ENDPOINT"),
                s.millis("SQS_TIMEOUT_MS", 500),
                s.optionalUri("S3_ENDPOINT"),
                s.optionalUri("SECRETS_MANAGER_ENDPOINT"));
    }
}
