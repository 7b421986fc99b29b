package dev.huddle.infra;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * The whole system: network, database (+ migrations), ingest, rollup pipeline, retention, API and
 * observability, wired through typed getters. {@link #create} is what the App and the template tests call,
 * so the tested wiring is the deployed wiring.
 *
 * <p>With {@code localstack=true} the stack leaves out only what LocalStack lacks: SnapStart, the RDS
 * Proxy (functions connect to the instance) and the secret rotation (a Serverless Application Repository
 * app); every function gets LocalStack's endpoint ({@link LocalStackEndpoints}). Everything else is the same
 * template.
 */
public final class HuddleStack extends Stack {
    private final Network network;
    private final Database database;
    private final Ingest ingest;
    private final RollupPipeline rollups;
    private final Retention retention;
    private final Api api;
    private final Observability observability;
    private final JavaFunction health;
    private final JavaFunction adminRollups;
    private final JavaFunction migrations;

    /**
     * @param functionCode each family's jar (the app) or placeholder folder (template tests)
     * @param migrationsHash {@link MigrationsHash} of sql/'s migration files
     */
    public record Inputs(HuddleSettings settings, Map<FunctionFamily, Code> functionCode, String migrationsHash) {
        public Inputs {
            Objects.requireNonNull(settings, "settings == null");
            Objects.requireNonNull(functionCode, "functionCode == null");
            Objects.requireNonNull(migrationsHash, "migrationsHash == null");
            functionCode = Map.copyOf(functionCode);
            for (FunctionFamily family : FunctionFamily.values()) {
                if (!functionCode.containsKey(family)) {
                    throw new IllegalArgumentException("no code for the function family " + family);
                }
            }
        }
    }

    public static HuddleStack create(Construct scope, String id, StackProps props, Inputs inputs) {
        return new HuddleStack(scope, id, props, inputs);
    }

    private HuddleStack(Construct scope, String id, StackProps props, Inputs inputs) {
        super(scope, id, props);
        HuddleSettings settings = inputs.settings();
        RetentionDays logRetention = RetentionDays.valueOf(retentionName(settings.logRetentionDays()));

        network = new Network(this, "Network", logRetention);
        database = new Database(this, "Database", network, settings);
        FunctionFactory functions = new FunctionFactory(inputs.functionCode(), logRetention, network, database,
                !settings.localstack());

        migrations = functions.migrationsFunction(this, "Migrations", new FunctionFactory.Spec(FunctionFamily.MIGRATE,
                SchemaMigrations.HANDLER, "Creates the database roles and applies the Flyway migrations of sql/ "
                        + "(CloudFormation custom resource)",
                1024, Duration.minutes(5), Map.of()).withoutSnapStart());
        SchemaMigrations schema = new SchemaMigrations(this, "SchemaMigrations", migrations, database,
                inputs.migrationsHash(), logRetention);
        if (!settings.localstack()) {
            database.addRotation(network, schema);
        }

        rollups = new RollupPipeline(this, "Rollups", functions, settings);
        ingest = new Ingest(this, "Ingest", functions, rollups, settings);
        retention = new Retention(this, "Retention", functions, settings);
        // Health answers load balancers and uptime checks: a short timeout, like its own DB probe (1 s).
        health = functions.databaseFunction(this, "Health", DatabaseRole.HEALTH, new FunctionFactory.Spec(FunctionFamily.INGEST,
                "dev.huddle.health.HealthHandler", "GET /api/health: database, offline backlog, rollup lag and queue depth",
                512, Duration.seconds(5), Map.of()));
        rollups.grantDepthReading(health);
        adminRollups = functions.databaseFunction(this, "AdminRollups", DatabaseRole.ADMIN_API, new FunctionFactory.Spec(FunctionFamily.INGEST,
                "dev.huddle.rollup.AdminRollupsHandler", "GET /api/admin/orgs/{orgId}/rollups (scope admin:<orgId>)",
                512, Duration.seconds(10), Map.of()));

        api = new Api(this, "Api", settings,
                new Api.Handlers(ingest.function().alias(), health.alias(), adminRollups.alias()), logRetention);
        observability = new Observability(this, "Observability",
                new Observability.Sources(api.httpApi(), rollups.queue(), rollups.deadLetterQueue(), ingest.function(),
                        allFunctions(), database.instance()),
                settings);

        if (settings.localstack()) {
            Aspects.of(this).add(new LocalStackEndpoints());
        }

        output("ApiUrl", api.url(), "Base URL of the HTTP API");
        output("DashboardName", observability.dashboard().getDashboardName(), "CloudWatch dashboard");
        output("DashboardUrl", "https://console.aws.amazon.com/cloudwatch/home?region=" + getRegion()
                + "#dashboards:name=" + observability.dashboard().getDashboardName(), "CloudWatch dashboard link");
        output("SnapshotBucketName", retention.bucket().getBucketName(), "Retention snapshots");
        output("AlarmTopicArn", observability.alarmTopic().getTopicArn(), "Subscribe to receive alarms");
        output("ReplayFunctionName", rollups.replay().function().getFunctionName(), "aws lambda invoke target for dead letters");
        output("SchemaVersion", schema.schemaVersion(), "Latest applied Flyway migration");
        api.userPool().ifPresent(pool -> output("UserPoolId", pool.getUserPoolId(), "Cognito user pool of the API's users"));
        api.userPoolClient().ifPresent(client -> output("UserPoolClientId", client.getUserPoolClientId(),
                "App client id: the JWT audience"));
    }

    /** Every function of the stack by a short name: each gets an error and a throttle alarm. */
    private Map<String, JavaFunction> allFunctions() {
        Map<String, JavaFunction> all = new LinkedHashMap<>();
        all.put("Ingest", ingest.function());
        all.put("Health", health);
        all.put("AdminRollups", adminRollups);
        all.put("RollupWorker", rollups.worker());
        all.put("RollupSweep", rollups.scheduler());
        all.put("Replay", rollups.replay());
        all.put("Retention", retention.function());
        all.put("Migrations", migrations);
        return all;
    }

    private void output(String id, String value, String description) {
        CfnOutput.Builder.create(this, id).value(value).description(description).build();
    }

    /** RetentionDays constant names for the days CloudWatch Logs accepts (validated by the settings). */
    private static String retentionName(int days) {
        return switch (days) {
            case 1 -> "ONE_DAY";
            case 3 -> "THREE_DAYS";
            case 5 -> "FIVE_DAYS";
            case 7 -> "ONE_WEEK";
            case 14 -> "TWO_WEEKS";
            case 30 -> "ONE_MONTH";
            case 60 -> "TWO_MONTHS";
            case 90 -> "THREE_MONTHS";
            case 120 -> "FOUR_MONTHS";
            case 150 -> "FIVE_MONTHS";
            case 180 -> "SIX_MONTHS";
            case 365 -> "ONE_YEAR";
            case 400 -> "THIRTEEN_MONTHS";
            case 545 -> "EIGHTEEN_MONTHS";
            case 731 -> "TWO_YEARS";
            case 1096 -> "THREE_YEARS";
            case 1827 -> "FIVE_YEARS";
            case 2192 -> "SIX_YEARS";
            case 2557 -> "SEVEN_YEARS";
            case 2922 -> "EIGHT_YEARS";
            case 3288 -> "NINE_YEARS";
            case 3653 -> "TEN_YEARS";
            default -> throw new IllegalArgumentException("unsupported log retention: " + days);
        };
    }

    public Network network() {
        return network;
    }

    public Database database() {
        return database;
    }

    public Ingest ingest() {
        return ingest;
    }

    public RollupPipeline rollups() {
        return rollups;
    }

    public Retention retention() {
        return retention;
    }

    public Api api() {
        return api;
    }

    public Observability observability() {
        return observability;
    }

    public JavaFunction health() {
        return health;
    }

    public JavaFunction adminRollups() {
        return adminRollups;
    }

    public JavaFunction migrations() {
        return migrations;
    }
}
