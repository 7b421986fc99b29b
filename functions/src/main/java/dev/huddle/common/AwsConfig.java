package dev.huddle.common;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The AWS settings the functions share: the region, each service's endpoint override (dynalite, ElasticMQ,
 * S3Proxy, LocalStack; empty on AWS) and the request path's budgets ({@link AwsClients}).
 *
 * @param sqsTimeout bounds the fan-out send on the ingest path (the events are committed by then)
 */
public record AwsConfig(
        String region,
        Optional<URI> dynamoDbEndpoint,
        Duration dynamoDbTimeout,
        Optional<URI> sqsEndpoint,
        Duration sqsTimeout,
        Optional<URI> s3Endpoint,
        Optional<URI> secretsManagerEndpoint) {

    public static AwsConfig from(Map<String, String> env) {
        Settings s = Settings.of(env);
        return new AwsConfig(
                s.text("AWS_REGION", "us-east-1"),
                s.optionalUri("DYNAMODB_ENDPOINT"),
                s.millis("DYNAMODB_TIMEOUT_MS", 300),
                s.optionalUri("SQS_ENDPOINT"),
                s.millis("SQS_TIMEOUT_MS", 500),
                s.optionalUri("S3_ENDPOINT"),
                s.optionalUri("SECRETS_MANAGER_ENDPOINT"));
    }
}
