package dev.huddle.common.db;

import com.fasterxml.jackson.databind.JsonNode;
import dev.huddle.common.AwsClients;
import dev.huddle.common.AwsConfig;
import dev.huddle.common.DatabaseConfig;
import dev.huddle.common.DependencyUnavailableException;
import dev.huddle.common.Json;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The database credentials from a Secrets Manager secret in the shape CDK's {@code DatabaseSecret} and
 * RDS rotation write: JSON with {@code "username"} and {@code "password"} (and host, port... unused).
 *
 * <p>Read lazily at the first connection, then cached for the life of the container; read again once
 * when the database rejects the cached password, so a rotation costs one failed login, not an outage
 * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_cache-java.html
 * describes the same cache-then-refresh idea). Not reaching Secrets Manager is a dependency failure (503
 * on the API path). Before a SnapStart snapshot the cached credentials are dropped: the snapshot holds
 * no password and a restored container reads the secret as it is then.
 */
public final class SecretsManagerCredentials implements CredentialSource, Resource {
    public static final String DEPENDENCY = "secretsmanager";

    /** One per secret and container, so all connections of a container share one read. */
    private static final ConcurrentMap<String, SecretsManagerCredentials> CONTAINER = new ConcurrentHashMap<>();

    private final SecretsManagerClient client;
    private final String secretId;
    private DbCredentials cached;

    public SecretsManagerCredentials(SecretsManagerClient client, String secretId) {
        this.client = client;
        this.secretId = secretId;
    }

    /** The container's instance for DB_SECRET_ARN, registered for the SnapStart hooks. */
    static SecretsManagerCredentials forContainer(DatabaseConfig config, AwsConfig aws) {
        String secretId = config.secretArn().orElseThrow(() -> new IllegalStateException("DB_SECRET_ARN is not set"));
        return CONTAINER.computeIfAbsent(secretId, id -> {
            SecretsManagerCredentials credentials = new SecretsManagerCredentials(
                    AwsClients.secretsManager(aws, config.connectTimeout()), id);
            Core.getGlobalContext().register(credentials);
            return credentials;
        });
    }

    @Override
    public synchronized DbCredentials current() {
        if (cached == null) {
            cached = read();
        }
        return cached;
    }

    @Override
    public synchronized Optional<DbCredentials> renewedAfterRejection(DbCredentials rejected) {
        if (cached != null && !cached.equals(rejected)) {
            return Optional.of(cached); // another connection already read the rotated secret
        }
        cached = read();
        return cached.equals(rejected) ? Optional.empty() : Optional.of(cached);
    }

    /** Forgets the cached credentials; the next connection reads the secret again. */
    public synchronized void forget() {
        cached = null;
    }

    private DbCredentials read() {
        String secret;
        try {
            secret = client.getSecretValue(request -> request.secretId(secretId)).secretString();
        } catch (SdkException e) {
            throw new DependencyUnavailableException(DEPENDENCY, "cannot read the database secret", e);
        }
        return parse(secret);
    }

    /** A malformed secret is a deployment error, not an outage: fail loudly, never echo the secret. */
    static DbCredentials parse(String secret) {
        JsonNode json;
        try {
            json = secret == null ? null : Json.mapper().readTree(secret);
        } catch (IOException e) {
            throw new IllegalStateException("the database secret is not JSON");
        }
        return new DbCredentials(requiredText(json, "username"), requiredText(json, "password"));
    }

    private static String requiredText(JsonNode json, String field) {
        JsonNode value = json == null ? null : json.get(field);
        if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
            throw new IllegalStateException("the database secret has no \"" + field + "\"");
        }
        return value.textValue();
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        forget();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing: the first connection after restore reads the secret.
    }
}
