package dev.huddle.migrate;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.huddle.common.AwsClients;
import dev.huddle.common.Json;
import dev.huddle.common.db.CredentialSource;
import dev.huddle.common.db.DatabaseTls;
import dev.huddle.common.db.DbCredentials;
import dev.huddle.common.db.SecretsManagerCredentials;
import dev.huddle.common.observability.LogSink;
import dev.huddle.sql.DatabaseRole;
import dev.huddle.sql.DatabaseRoles;
import dev.huddle.sql.Migrations;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The onEvent handler of the stack's migration custom resource (CDK {@code Provider} framework). Create
 * and Update:
 * <ol>
 *   <li>as the RDS admin (DB_SECRET_ARN), create or update the database roles and set each role's password
 *       from its own secret (DB_ROLE_SECRET_ARNS) with {@link DatabaseRoles#ensure};</li>
 *   <li>as {@code huddle_migrator} (its secret is one of them), apply the Flyway migrations of {@code sql/}
 *       with {@link Migrations#apply}, exactly as the local stack does, so every object is owned by
 *       {@code huddle_owner}. Without a migrator secret (an older stack) the admin migrates.</li>
 * </ol>
 * Delete does nothing, so deleting the stack (or replacing the resource) never drops learner data. The
 * stack passes a hash of the migration files as a property, so any change of them is an Update on the next
 * deploy. Passwords are never logged.
 *
 * <p>A failure throws: the Provider framework reports FAILED to CloudFormation, which rolls the
 * deployment back. https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.custom_resources-readme.html
 */
public final class MigrationHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    public static final String PHYSICAL_RESOURCE_ID = "huddle-schema";
    /** DDL may wait for locks held by running requests: a long connect budget, no statement timeout. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final Supplier<DataSource> admin;
    private final Supplier<Map<String, DbCredentials>> roleCredentials;
    private final Function<DbCredentials, DataSource> login;
    private final LogSink logSink;

    /** Lambda's constructor: configuration from the environment; the secrets are read per invocation. */
    public MigrationHandler() {
        this(MigrationConfig.from(System.getenv()));
    }

    /** The real wiring for a configuration: the admin's and each role's credentials read per invocation. */
    public MigrationHandler(MigrationConfig config) {
        this(() -> dataSource(config, CredentialSource.fromConfig(config.database(), config.aws()).current()),
                () -> roleCredentials(config), credentials -> dataSource(config, credentials), LogSink.stdout());
    }

    /**
     * @param admin the admin login, asked once per Create or Update
     * @param roleCredentials each role's user name and password (role name to credentials)
     * @param login a login with given credentials, for the migrator
     */
    MigrationHandler(Supplier<DataSource> admin, Supplier<Map<String, DbCredentials>> roleCredentials,
                     Function<DbCredentials, DataSource> login, LogSink logSink) {
        this.admin = admin;
        this.roleCredentials = roleCredentials;
        this.login = login;
        this.logSink = logSink;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        String requestType = String.valueOf(event.get("RequestType"));
        return switch (requestType) {
            case "Create", "Update" -> migrate(requestType);
            case "Delete" -> {
                log(requestType, null);
                yield Map.of("PhysicalResourceId", PHYSICAL_RESOURCE_ID);
            }
            default -> throw new IllegalArgumentException("unknown custom resource RequestType: " + requestType);
        };
    }

    private Map<String, Object> migrate(String requestType) {
        Map<String, DbCredentials> roles = roleCredentials.get();
        Map<String, String> passwords = new LinkedHashMap<>();
        roles.forEach((role, credentials) -> {
            if (!role.equals(credentials.user())) {
                throw new IllegalStateException("the secret of role " + role + " names another user: " + credentials.user());
            }
            passwords.put(role, credentials.password());
        });
        DataSource adminLogin = admin.get();
        DatabaseRoles.ensure(adminLogin, passwords);
        DbCredentials migrator = roles.get(DatabaseRole.MIGRATOR.roleName());
        DataSource dataSource = migrator == null ? adminLogin : login.apply(migrator);
        Migrations.apply(dataSource);
        String version = Migrations.currentVersion(dataSource)
                .orElseThrow(() -> new IllegalStateException("no schema version after migrating"));
        log(requestType, version);
        // Same physical id on Update: CloudFormation would otherwise take it as a replacement and Delete.
        return Map.of("PhysicalResourceId", PHYSICAL_RESOURCE_ID, "Data", Map.of("SchemaVersion", version));
    }

    private void log(String requestType, String version) {
        var line = Json.mapper().createObjectNode()
                .put("message", "schema migration")
                .put("requestType", requestType)
                .put("schemaVersion", version);
        logSink.write(line.toString());
    }

    /** Each role's secret (DB_ROLE_SECRET_ARNS: a JSON object of role name to secret ARN), read now. */
    static Map<String, DbCredentials> roleCredentials(MigrationConfig config) {
        if (config.roleSecretArns().isEmpty()) {
            return Map.of();
        }
        Map<String, String> arns;
        try {
            arns = Json.mapper().readValue(config.roleSecretArns().get(), new TypeReference<Map<String, String>>() { });
        } catch (IOException e) {
            throw new IllegalStateException("DB_ROLE_SECRET_ARNS is not a JSON object of role name to secret ARN");
        }
        SecretsManagerClient client = AwsClients.secretsManager(config.aws(), config.database().connectTimeout());
        Map<String, DbCredentials> credentials = new LinkedHashMap<>();
        arns.forEach((role, arn) -> credentials.put(role, new SecretsManagerCredentials(client, arn).current()));
        return credentials;
    }

    /** pgjdbc's own DataSource with the configured URL and TLS, and the given credentials. */
    static DataSource dataSource(MigrationConfig config, DbCredentials credentials) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(config.database().url());
        dataSource.setUser(credentials.user());
        dataSource.setPassword(credentials.password());
        dataSource.setConnectTimeout((int) CONNECT_TIMEOUT.toSeconds());
        dataSource.setApplicationName("huddle-migrate");
        DatabaseTls.fromConfig(config.database()).apply(dataSource);
        return dataSource;
    }
}
