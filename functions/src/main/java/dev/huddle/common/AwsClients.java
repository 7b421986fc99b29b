package dev.huddle.common;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds the AWS SDK clients. The caller builds each client once per container (in a handler's
 * constructor) and reuses it: building one costs tens of milliseconds and a fresh TLS handshake.
 */
public final class AwsClients {

    /** At most one retry: the callers sit on the request path and must not add seconds of latency. */
    static final int MAX_ATTEMPTS = 2;

    private static final BackoffStrategy SHORT_BACKOFF =
            BackoffStrategy.exponentialDelay(Duration.ofMillis(10), Duration.ofMillis(50));

    private AwsClients() {
    }

    /**
     * A DynamoDB client for the rate limiter: url-connection HTTP client (smallest cold start), the
     * region from configuration, the endpoint override when one is configured (dynalite, LocalStack),
     * and every call bounded by {@link AwsConfig#dynamoDbTimeout()} including its one retry. The HTTP client's
     * own connect and read timeouts are the first call's budget, which {@link #firstCallBudget} gives a request.
     */
    public static DynamoDbClient dynamoDb(AwsConfig config) {
        return requestPathClient(DynamoDbClient.builder(), config, config.dynamoDbTimeout(),
                config.dynamoDbFirstCallTimeout(), config.dynamoDbEndpoint());
    }

    /**
     * A request's own budget in place of its client's, same rule (one retry, half the budget per attempt): for a
     * container's first call, which loads the SDK's request path and opens the connection.
     */
    public static AwsRequestOverrideConfiguration firstCallBudget(Duration timeout) {
        return AwsRequestOverrideConfiguration.builder()
                .apiCallTimeout(timeout)
                .apiCallAttemptTimeout(Duration.ofNanos(timeout.toNanos() / 2))
                .build();
    }

    /**
     * The request-path clients (DynamoDB, SQS, Secrets Manager) differ only in their budget and endpoint:
     * url-connection HTTP client, the configured region, every call bounded by {@code timeout} including
     * its one retry, and the endpoint override with local credentials when one is configured.
     */
    private static <B extends AwsSyncClientBuilder<B, C> & AwsClientBuilder<B, C>, C> C requestPathClient(
            B builder, AwsConfig config, Duration timeout, Optional<URI> endpointOverride) {
        return requestPathClient(builder, config, timeout, timeout, endpointOverride);
    }

    /** {@code httpTimeout}: the HTTP client's connect and read timeouts, at least {@code timeout}. */
    private static <B extends AwsSyncClientBuilder<B, C> & AwsClientBuilder<B, C>, C> C requestPathClient(
            B builder, AwsConfig config, Duration timeout, Duration httpTimeout, Optional<URI> endpointOverride) {
        builder.httpClientBuilder(requestPathHttpClient(httpTimeout.compareTo(timeout) > 0 ? httpTimeout : timeout))
                .region(Region.of(config.region()))
                .overrideConfiguration(requestPathOverrides(timeout))
                .credentialsProvider(credentials(endpointOverride));
        endpointOverride.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /** A client on the request path: connect and read bounded by the call's whole budget. */
    private static UrlConnectionHttpClient.Builder requestPathHttpClient(Duration timeout) {
        return UrlConnectionHttpClient.builder().connectionTimeout(timeout).socketTimeout(timeout);
    }

    private static ClientOverrideConfiguration requestPathOverrides(Duration timeout) {
        return ClientOverrideConfiguration.builder()
                // The whole call, retry included, ends within the budget...
                .apiCallTimeout(timeout)
                // ...and half of it per attempt leaves room for the one retry after a slow attempt. In nanoseconds:
                // Duration.dividedBy divides BigDecimals, whose classes and first division cost a cold start
                // about 3 % of the constructor's samples (JFR, docs/PERFORMANCE.md "Cold start of the ingest handler").
                .apiCallAttemptTimeout(Duration.ofNanos(timeout.toNanos() / 2))
                .retryStrategy(shortRetryStrategy())
                .build();
    }

    /** Retention streams whole partitions: a part upload may take seconds, unlike a rate-limit call. */
    static final Duration S3_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration S3_SOCKET_TIMEOUT = Duration.ofSeconds(60);
    static final Duration S3_ATTEMPT_TIMEOUT = Duration.ofMinutes(2);

    /**
     * An S3 client for the retention snapshots: url-connection HTTP client, the region from
     * configuration, generous timeouts (a background job moving megabytes, not a request path) with the
     * SDK's standard retries, and, when {@link AwsConfig#s3Endpoint()} points at a local server (S3Proxy),
     * path-style addressing (no bucket subdomains on 127.0.0.1) and the local credentials.
     */
    public static S3Client s3(AwsConfig config) {
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(S3_CONNECT_TIMEOUT)
                        .socketTimeout(S3_SOCKET_TIMEOUT))
                .region(Region.of(config.region()))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallAttemptTimeout(S3_ATTEMPT_TIMEOUT)
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy())
                        .build())
                .credentialsProvider(credentials(config.s3Endpoint()));
        config.s3Endpoint().ifPresent(endpoint -> builder.endpointOverride(endpoint).forcePathStyle(true));
        return builder.build();
    }

    /**
     * An SQS client for the rollup job queue, built like the DynamoDB one: url-connection HTTP client,
     * explicit region, the endpoint override when configured (ElasticMQ), and every call bounded by
     * {@link AwsConfig#sqsTimeout()} including its one retry (the ingest path sends after its commit).
     */
    public static SqsClient sqs(AwsConfig config) {
        return requestPathClient(SqsClient.builder(), config, config.sqsTimeout(), config.sqsEndpoint());
    }

    /**
     * A Secrets Manager client for the database credentials, built like the DynamoDB one. It is called
     * while a database connection opens (the first one of a container, and once after a rotation), so
     * the connect budget ({@link DatabaseConfig#connectTimeout()}) bounds it, its one retry included.
     */
    public static SecretsManagerClient secretsManager(AwsConfig config, Duration connectTimeout) {
        return requestPathClient(SecretsManagerClient.builder(), config, connectTimeout,
                config.secretsManagerEndpoint());
    }

    /**
     * The standard strategy (it knows which AWS errors are retryable) cut to one retry with a
     * millisecond backoff; its default throttling backoff starts at one second.
     */
    static RetryStrategy shortRetryStrategy() {
        return AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(MAX_ATTEMPTS)
                .backoffStrategy(SHORT_BACKOFF)
                .throttlingBackoffStrategy(SHORT_BACKOFF)
                .build();
    }

    /**
     * On AWS, the default chain: the Lambda role's credentials come from the environment variables without
     * SnapStart but from the container credentials endpoint with it (AWS_CONTAINER_CREDENTIALS_FULL_URI;
     * https://docs.aws.amazon.com/lambda/latest/dg/snapstart-activate.html#snapstart-credentials), so
     * naming one provider to save the chain's few classes at a cold start would break one of the two. Against a
     * local endpoint, the explicit sources (environment, system properties, profile) and then dummy
     * keys, which local servers accept; the container and instance-metadata lookups are left out there
     * because off AWS they only wait for a timeout.
     */
    static AwsCredentialsProvider credentials(AwsConfig config) {
        return credentials(config.dynamoDbEndpoint());
    }

    static AwsCredentialsProvider credentials(Optional<URI> endpointOverride) {
        if (endpointOverride.isEmpty()) {
            return DefaultCredentialsProvider.builder().build();
        }
        return AwsCredentialsProviderChain.builder()
                .credentialsProviders(
                        EnvironmentVariableCredentialsProvider.create(),
                        SystemPropertyCredentialsProvider.create(),
                        ProfileCredentialsProvider.create(),
                        StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
    }
}
