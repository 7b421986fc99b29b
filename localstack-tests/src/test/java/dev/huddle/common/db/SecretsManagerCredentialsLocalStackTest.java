package dev.huddle.common.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.huddle.common.AwsClients;
import dev.huddle.common.AwsConfig;
import dev.huddle.common.DatabaseConfig;
import dev.huddle.common.Json;
import dev.huddle.localstack.LocalStack;
import dev.huddle.localstack.RequiresDocker;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** The database credentials read through the real Secrets Manager client, including a rotation. */
@RequiresDocker
class SecretsManagerCredentialsLocalStackTest {
    private final String secretName = "huddle-db-" + System.nanoTime();
    private final Map<String, String> env = LocalStack.environment(Map.of());
    private final SecretsManagerClient client = AwsClients.secretsManager(AwsConfig.from(env),
            DatabaseConfig.from(env).connectTimeout());

    @Test
    void readsTheSecretCdkWrites_andTheRotatedOneAfterARejection() {
        String arn = client.createSecret(b -> b.name(secretName).secretString(secret("huddle_app", "first"))).arn();
        SecretsManagerCredentials credentials = new SecretsManagerCredentials(client, arn);

        DbCredentials first = credentials.current();
        client.putSecretValue(b -> b.secretId(arn).secretString(secret("huddle_app", "rotated")));

        assertThat(first).isEqualTo(new DbCredentials("huddle_app", "first"));
        assertThat(credentials.renewedAfterRejection(first)).contains(new DbCredentials("huddle_app", "rotated"));
    }

    @Test
    void takesTheCredentialsFromTheSecret_whenDbSecretArnIsSet() {
        String arn = client.createSecret(b -> b.name(secretName).secretString(secret("from_secret", "pw"))).arn();
        Map<String, String> withSecret = LocalStack.environment(Map.of("DB_SECRET_ARN", arn, "DB_USER", "from_settings"));

        assertThat(CredentialSource.fromConfig(DatabaseConfig.from(withSecret), AwsConfig.from(withSecret)).current().user()).isEqualTo("from_secret");
    }

    private static String secret(String username, String password) {
        return Json.mapper().valueToTree(Map.of("username", username, "password", password, "engine", "postgres"))
                .toString();
    }
}
