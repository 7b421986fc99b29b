package dev.huddle.common.db;

import dev.huddle.common.Json;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/** One secret in memory, the way RDS rotation writes it; counts reads and can fail like an outage. */
final class FakeSecretsManager implements SecretsManagerClient {
    static final String SECRET_ID = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:huddle-db-AbCdEf";

    private final AtomicInteger reads = new AtomicInteger();
    private volatile String secretString;
    private volatile SdkException failure;

    void store(String username, String password) {
        secretString = Json.mapper().valueToTree(Map.of("username", username, "password", password,
                "engine", "postgres", "port", 5432)).toString();
    }

    void storeRaw(String secret) {
        secretString = secret;
    }

    void failWith(SdkException e) {
        failure = e;
    }

    int reads() {
        return reads.get();
    }

    @Override
    public GetSecretValueResponse getSecretValue(GetSecretValueRequest request) {
        reads.incrementAndGet();
        if (failure != null) {
            throw failure;
        }
        if (!SECRET_ID.equals(request.secretId())) {
            throw ResourceNotFoundException.builder().message("no such secret").build();
        }
        return GetSecretValueResponse.builder().arn(SECRET_ID).secretString(secretString).build();
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
    }
}
