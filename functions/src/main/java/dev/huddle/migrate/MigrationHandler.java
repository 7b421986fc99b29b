package dev.huddle.migrate;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.huddle.common.Config;
import dev.huddle.common.Json;
import dev.huddle.common.db.CredentialSource;
import dev.huddle.common.db.DbCredentials;
import dev.huddle.common.observability.LogSink;
import dev.huddle.sql.Migrations;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The onEvent handler of the stack's migration custom resource (CDK {@code Provider} framework): Create
 * and Update apply the Flyway migrations of {@code sql/} with {@link Migrations#apply}, exactly as the
 * local stack does; Delete does nothing, so deleting the stack (or replacing the resource) never drops
 * learner data. The stack passes a hash of the migration files as a property, so any change of them is
 * an Update on the next deploy.
 *
 * <p>A failure throws: the Provider framework reports FAILED to CloudFormation, which rolls the
 * deployment back. https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.custom_resources-readme.html
 */
public final class MigrationHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    public static final String PHYSICAL_RESOURCE_ID = "huddle-schema";
    /** DDL may wait for locks held by running requests: a long connect budget, no statement timeout. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final Supplier<DataSource> database;
    private final LogSink logSink;

    /** Lambda's constructor: configuration from the environment; the secret is read per invocation. */
    public MigrationHandler() {
        this(Config.fromEnvironment());
    }

    private MigrationHandler(Config config) {
        this(() -> dataSource(config), LogSink.stdout());
    }

    /** {@code database} is asked once per Create or Update (tests pass a test database). */
    public MigrationHandler(Supplier<DataSource> database, LogSink logSink) {
        this.database = database;
        this.logSink = logSink;
    }

    public static MigrationHandler fromConfig(Config config) {
        return new MigrationHandler(config);
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
        DataSource dataSource = database.get();
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

    /** pgjdbc's own DataSource with the configured URL and the current credentials (secret or settings). */
    static DataSource dataSource(Config config) {
        DbCredentials credentials = CredentialSource.fromConfig(config).current();
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(config.dbUrl());
        dataSource.setUser(credentials.user());
        dataSource.setPassword(credentials.password());
        dataSource.setConnectTimeout((int) CONNECT_TIMEOUT.toSeconds());
        dataSource.setApplicationName("huddle-migrate");
        return dataSource;
    }
}
