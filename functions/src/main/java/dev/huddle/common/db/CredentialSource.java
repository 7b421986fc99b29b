package dev.huddle.common.db;

import dev.huddle.common.AwsConfig;
import dev.huddle.common.DatabaseConfig;
import java.util.Optional;

/**
 * Where a new database connection takes its user name and password from: fixed settings
 * (DB_USER/DB_PASSWORD: the local stack, tests) or the Secrets Manager secret (DB_SECRET_ARN: AWS).
 */
public interface CredentialSource {

    /** The credentials to log in with now. */
    DbCredentials current();

    /**
     * Called once after the server rejected {@code rejected} (the password was rotated since we read it):
     * newer credentials to try once, or empty when there is nothing newer.
     */
    Optional<DbCredentials> renewedAfterRejection(DbCredentials rejected);

    static CredentialSource fixed(String user, String password) {
        DbCredentials credentials = new DbCredentials(user, password);
        return new CredentialSource() {
            @Override
            public DbCredentials current() {
                return credentials;
            }

            @Override
            public Optional<DbCredentials> renewedAfterRejection(DbCredentials rejected) {
                return Optional.empty();
            }
        };
    }

    /** The secret when DB_SECRET_ARN is set (one per container, shared), else DB_USER/DB_PASSWORD. */
    static CredentialSource fromConfig(DatabaseConfig config, AwsConfig aws) {
        return config.secretArn().isPresent()
                ? SecretsManagerCredentials.forContainer(config, aws)
                : fixed(config.user(), config.password());
    }
}
