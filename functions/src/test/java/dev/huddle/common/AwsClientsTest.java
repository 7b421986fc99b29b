package dev.huddle.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.huddle.devservers.DynaliteServer;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

class AwsClientsTest {

    @Test
    void appliesRegionEndpointAndTimeouts_fromConfig() {
        AwsConfig config = AwsConfig.from(Map.of(
                "AWS_REGION", "eu-west-1",
                "DYNAMODB_ENDPOINT", "http://127.0.0.1:8000",
                "DYNAMODB_TIMEOUT_MS", "250"));

        try (DynamoDbClient client = AwsClients.dynamoDb(config)) {
            var configuration = client.serviceClientConfiguration();
            assertThat(configuration.region()).isEqualTo(Region.EU_WEST_1);
            assertThat(configuration.endpointOverride()).contains(URI.create("http://127.0.0.1:8000"));
            ClientOverrideConfiguration overrides = configuration.overrideConfiguration();
            assertThat(overrides.apiCallTimeout()).contains(Duration.ofMillis(250));
            assertThat(overrides.apiCallAttemptTimeout()).contains(Duration.ofMillis(125));
            assertThat(overrides.retryStrategy()).hasValueSatisfying(
                    strategy -> assertThat(strategy.maxAttempts()).isEqualTo(2));
        }
    }

    @Test
    void usesTheDefaultChain_whenTalkingToAws() {
        AwsConfig config = AwsConfig.from(Map.of());

        assertThat(config.dynamoDbEndpoint()).isEmpty();
        assertThat(AwsClients.credentials(config)).isInstanceOf(DefaultCredentialsProvider.class);
    }

    @Test
    void reachesALocalServer_withoutAnyCredentialsConfigured() {
        try (DynaliteServer dynalite = DynaliteServer.start(0);
                DynamoDbClient client = AwsClients.dynamoDb(AwsConfig.from(Map.of(
                        "DYNAMODB_ENDPOINT", dynalite.endpoint().toString(),
                        "DYNAMODB_TIMEOUT_MS", "2000")))) {
            assertThat(client.listTables().tableNames()).isEmpty();
        }
    }
}
