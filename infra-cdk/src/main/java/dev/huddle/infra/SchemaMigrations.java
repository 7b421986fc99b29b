package dev.huddle.infra;

import java.util.Map;
import software.amazon.awscdk.CustomResource;
import software.amazon.awscdk.customresources.Provider;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * Applies the Flyway migrations of sql/ on every deploy that changes them, so a fresh {@code cdk deploy}
 * yields a working database: a custom resource whose onEvent handler is dev.huddle.migrate.MigrationHandler
 * (the same dev.huddle.sql.Migrations the local stack runs). Its {@code MigrationsHash} property is the
 * hash of the migration files (see {@link MigrationsHash}), so any change triggers an Update.
 */
public final class SchemaMigrations extends Construct {
    public static final String HANDLER = "dev.huddle.migrate.MigrationHandler";

    private final CustomResource resource;

    public SchemaMigrations(Construct scope, String id, JavaFunction migrationFunction, Database database,
                            String migrationsHash, RetentionDays logRetention) {
        super(scope, id);
        Provider provider = Provider.Builder.create(this, "Provider")
                .onEventHandler(migrationFunction.function())
                .logGroup(LogGroup.Builder.create(this, "ProviderLogs")
                        .retention(logRetention).removalPolicy(RemovalPolicy.DESTROY).build())
                .build();
        NagExemptions.suppressWithChildren(provider, "AwsSolutions-IAM4",
                "The CDK Provider framework's own function uses AWSLambdaBasicExecutionRole for its logs",
                "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole");
        NagExemptions.suppressWithChildren(provider, "AwsSolutions-IAM5",
                "The Provider framework invokes the migration function's versions (<arn>:*), nothing else",
                NagExemptions.regex("^Resource::<MigrationsFunction[A-Za-z0-9]+\\.Arn>:\\*$"));
        resource = CustomResource.Builder.create(this, "Schema")
                .serviceToken(provider.getServiceToken())
                .resourceType("Custom::HuddleSchema")
                .properties(Map.of("MigrationsHash", migrationsHash))
                .build();
        // The migrations need the database and the path to it (proxy target registered) to exist first.
        resource.getNode().addDependency(database.instance());
        database.proxy().ifPresent(proxy -> resource.getNode().addDependency(proxy));
    }

    /** "SchemaVersion": the latest applied migration version reported by the handler. */
    public String schemaVersion() {
        return resource.getAttString("SchemaVersion");
    }
}
