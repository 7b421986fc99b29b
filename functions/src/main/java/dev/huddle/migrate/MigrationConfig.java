package dev.huddle.migrate;

import dev.huddle.common.AwsConfig;
import dev.huddle.common.DatabaseConfig;
import dev.huddle.common.Settings;
import java.util.Map;
import java.util.Optional;

/**
 * The migration function's settings: DB_SECRET_ARN (in {@link DatabaseConfig}) is the admin's secret.
 *
 * @param roleSecretArns {"huddle_ingest": "<secret ARN>", ...}: the secret of each database role, whose
 *                       password the migration sets
 */
public record MigrationConfig(DatabaseConfig database, AwsConfig aws, Optional<String> roleSecretArns) {

    public static MigrationConfig from(Map<String, String> env) {
        return new MigrationConfig(DatabaseConfig.from(env), AwsConfig.from(env),
                Settings.of(env).optionalText("DB_ROLE_SECRET_ARNS"));
    }
}
