package dev.huddle.local.stack;

import dev.huddle.devservers.LatencyProxy;
import dev.huddle.devservers.SimpleDataSource;
import dev.huddle.ingest.IngestConfig;
import dev.huddle.local.StartupProgress;
import dev.huddle.local.demo.DemoPage;
import dev.huddle.local.docs.ApiDocs;
import dev.huddle.local.gateway.ApiGatewayFront;
import dev.huddle.local.gateway.CorsFilter;
import dev.huddle.local.gateway.GatewaySettings;
import dev.huddle.local.jwt.JwtSettings;
import dev.huddle.local.jwt.SigningKeyStore;
import dev.huddle.local.jwt.TokenIssuer;
import dev.huddle.local.jwt.TokenVerifier;
import dev.huddle.ops.target.StackEndpoints;
import dev.huddle.retention.RetentionConfig;
import dev.huddle.rollup.RollupConfig;
import dev.huddle.sql.DatabaseRoles;
import dev.huddle.sql.DemoData;
import dev.huddle.sql.Migrations;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The whole stack in this JVM: PostgreSQL (embedded, or external via {@code DB_URL}; {@link StackPostgres}),
 * the DynamoDB API (dynalite, or external via {@code DYNAMODB_ENDPOINT}; {@link RateLimitTableService}), SQS
 * ({@link RollupQueueService}) and S3 ({@link SnapshotStore}), the schema and demo data, and the real handlers
 * behind the API-Gateway-compatible front. {@link #close()} stops what was started, in reverse order.
 *
 * <p>Named "emulated" so it is not confused with the LocalStack product (infra-cdk/localstack/,
 * localstack-tests/), which emulates AWS in Docker; this one runs the functions themselves in one JVM.
 */
public final class EmulatedStack implements AutoCloseable {
    /** The progress lines of a start ({@code [n/STEPS]}); SharedTestStack's start checks the count. */
    static final int STEPS = 9;

    private final Deque<AutoCloseable> started;
    private final ApiGatewayFront front;
    private final JwtSettings jwt;
    private final IngestConfig config;
    private final LatencyProxy databaseProxy;
    private final Map<String, String> providedSettings;
    private final BackgroundFunctions background;
    private final Map<String, String> services;

    private EmulatedStack(Deque<AutoCloseable> started, ApiGatewayFront front, JwtSettings jwt, IngestConfig config,
            LatencyProxy databaseProxy, Map<String, String> providedSettings, BackgroundFunctions background,
            Map<String, String> services) {
        this.started = started;
        this.front = front;
        this.jwt = jwt;
        this.config = config;
        this.databaseProxy = databaseProxy;
        this.providedSettings = Map.copyOf(providedSettings);
        this.background = background;
        this.services = services;
    }

    /** Browser origins allowed to call the API (CORS), comma-separated; the CDK's context key is its twin. */
    public static final String CORS_SETTING = "CORS_ALLOWED_ORIGINS";

    public static EmulatedStack start(EmulatedStackOptions options, StartupProgress progress) {
        Deque<AutoCloseable> started = new ArrayDeque<>();
        try {
            return start(options, progress, started);
        } catch (RuntimeException | Error e) {
            stopAll(started);
            throw e;
        }
    }

    private static EmulatedStack start(EmulatedStackOptions options, StartupProgress progress,
            Deque<AutoCloseable> started) {
        // Settings for the functions: the environment first, then what the embedded servers provide.
        Map<String, String> settings = new HashMap<>();

        boolean externalDb = options.setting("DB_URL") != null;
        String dbLabel = externalDb ? "PostgreSQL (external, DB_URL)" : "PostgreSQL 17 (embedded)";
        settings.putAll(progress.step(dbLabel, () -> StackPostgres.startUnlessExternal(options, started)));

        boolean externalDynamo = options.setting("DYNAMODB_ENDPOINT") != null;
        String dynamoLabel = externalDynamo ? "DynamoDB API (external, DYNAMODB_ENDPOINT)" : "DynamoDB API (dynalite)";
        progress.step(dynamoLabel + ", rate-limit table", () -> {
            settings.putAll(RateLimitTableService.startUnlessExternal(options, started));
            RateLimitTableService.createTableIfMissing(IngestConfig.from(withEnvironment(settings, options)));
            return null;
        });
        boolean externalSqs = options.setting("SQS_ENDPOINT") != null;
        progress.step((externalSqs ? "SQS API (external, SQS_ENDPOINT)" : "SQS API (ElasticMQ)")
                + ", rollup job queue + dead-letter queue", () -> {
            settings.putAll(RollupQueueService.startUnlessExternal(options, started));
            settings.putAll(RollupQueueService.createQueuesUnlessConfigured(RollupConfig.from(withEnvironment(settings, options))));
            return null;
        });

        boolean externalS3 = options.setting("S3_ENDPOINT") != null;
        progress.step((externalS3 ? "S3 API (external, S3_ENDPOINT)" : "S3 API (S3Proxy)") + ", snapshot bucket", () -> {
            settings.putAll(SnapshotStore.startUnlessExternal(options, started));
            SnapshotStore.createBucketIfMissing(RetentionConfig.from(withEnvironment(settings, options)));
            return null;
        });
        IngestConfig config = IngestConfig.from(withEnvironment(settings, options));
        DataSource dataSource = new SimpleDataSource(config.database().url(), config.database().user(),
                config.database().password());

        progress.step("Schema (Flyway migrations, daily partitions)", () -> Migrations.apply(dataSource));
        progress.step("Demo data (3 orgs, 30 courses, 5000 learners)", () -> {
            DemoData.seed(dataSource);
            return null;
        });

        // Set up directly; from here on the functions may reach the database through the latency proxy.
        LatencyProxy proxy = options.dbLatency() == null ? null
                : StackPostgres.startProxy(config.database(), options.dbLatency(), started);
        FunctionLogins logins = new FunctionLogins(proxy == null ? withEnvironment(settings, options)
                : StackPostgres.throughProxy(withEnvironment(settings, options), proxy));
        // Each function logs in as its own role (README "Database roles"), with this start's passwords.
        progress.step("Database roles (one login per function)", () -> {
            DatabaseRoles.ensure(dataSource, logins.passwords());
            return null;
        });
        if (proxy != null) {
            started.push(new OutageSwitch(options.stateDirectory()).follow(proxy));
        }

        JwtSettings jwt = JwtSettings.from(options.environment(), options.stateDirectory());
        ApiGatewayFront front = progress.step("Functions and HTTP API", () -> {
            HttpApiRoutes functions = new HttpApiRoutes(logins, options.concurrency());
            functions.warmUp();
            TokenVerifier verifier = new TokenVerifier(SigningKeyStore.loadOrCreate(jwt.keyFile()), jwt,
                    Clock.systemUTC());
            ApiGatewayFront api = ApiGatewayFront.start(
                    new GatewaySettings(options.host(), options.port(), options.threads(),
                            GatewaySettings.API_GATEWAY_MAX_PAYLOAD_BYTES),
                    functions.routes(), verifier, Clock.systemUTC());
            started.push(api);
            api.serveOutsideApi("/docs", ApiDocs::handle);
            api.filterApi(new CorsFilter(corsOrigins(options, api.port())));
            api.serveOutsideApi(DemoPage.PATH, new DemoPage(new TokenIssuer(SigningKeyStore.loadOrCreate(jwt.keyFile()), jwt),
                    Clock.systemUTC())::handle);
            return api;
        });
        BackgroundFunctions background = progress.step("Background functions (rollup worker, sweep, retention)", () -> {
            BackgroundFunctions functions = BackgroundFunctions.start(logins, options.background());
            started.push(functions);
            return functions;
        });
        Map<String, String> services = new LinkedHashMap<>();
        services.put("Database", StackPostgres.describe(config.database(), externalDb, options, proxy));
        services.put("DynamoDB", RateLimitTableService.describe(config, externalDynamo));
        services.put("SQS", RollupQueueService.describe(RollupConfig.from(withEnvironment(settings, options)), externalSqs));
        services.put("S3", SnapshotStore.describe(RetentionConfig.from(withEnvironment(settings, options)), externalS3));
        return new EmulatedStack(started, front, jwt, config, proxy, withExternalAddresses(settings, options), background,
                Collections.unmodifiableMap(services));
    }

    /**
     * The browser origins the front answers CORS preflights for: {@value #CORS_SETTING} (comma-separated, as
     * {@code run --cors-origin} sets it), by default the stack's own demo page, under both names of this host.
     */
    static List<String> corsOrigins(EmulatedStackOptions options, int port) {
        String configured = options.setting(CORS_SETTING);
        if (configured != null) {
            return Arrays.stream(configured.split(",")).map(String::trim).filter(o -> !o.isEmpty()).toList();
        }
        return List.of("http://" + options.host() + ":" + port, "http://localhost:" + port);
    }

    /**
     * The embedded servers' settings plus the addresses given in the environment (an external DB_URL, ...):
     * every address of this stack, what endpoints.json tells the commands pointed at its state directory.
     */
    private static Map<String, String> withExternalAddresses(Map<String, String> embedded, EmulatedStackOptions options) {
        Map<String, String> addresses = new HashMap<>();
        StackEndpoints.ADDRESS_SETTINGS.stream().filter(name -> options.setting(name) != null)
                .forEach(name -> addresses.put(name, options.setting(name)));
        addresses.putAll(embedded);
        return addresses;
    }

    private static Map<String, String> withEnvironment(Map<String, String> embedded, EmulatedStackOptions options) {
        Map<String, String> merged = new HashMap<>(embedded);
        merged.putAll(options.environment());
        return merged;
    }

    public String baseUrl() {
        return front.baseUrl();
    }

    public int port() {
        return front.port();
    }

    /** The API's route keys as API Gateway names them ("GET /api/admin/orgs/{orgId}/rollups", ...). */
    public List<String> routeKeys() {
        return front.routeKeys();
    }

    /** The HTTP front, e.g. to put a filter before its routes. */
    public ApiGatewayFront front() {
        return front;
    }

    public JwtSettings jwt() {
        return jwt;
    }

    /**
     * The ingest function's settings as this stack gives them, with the database reached directly (not through
     * the latency proxy) as the stack's own user: its database, AWS endpoints and rate-limit table.
     */
    public IngestConfig config() {
        return config;
    }

    /**
     * The proxy between the functions and PostgreSQL, when the stack was started with a database latency
     * ({@link EmulatedStackOptions#dbLatency()}): to change the latency or simulate an outage while it runs.
     */
    public Optional<LatencyProxy> databaseProxy() {
        return Optional.ofNullable(databaseProxy);
    }

    /**
     * The settings the embedded servers provided (their endpoints, the embedded database's URL and
     * credentials), by environment variable name: what a command needs, beyond the environment, to work against
     * this stack (see {@link StackEndpoints}).
     */
    public Map<String, String> providedSettings() {
        return providedSettings;
    }

    BackgroundFunctions background() {
        return background;
    }

    /** What serves each AWS service locally ("Database" → "jdbc:postgresql://... (user ...)"), in banner order. */
    Map<String, String> services() {
        return services;
    }

    @Override
    public void close() {
        stopAll(started);
    }

    private static void stopAll(Deque<AutoCloseable> started) {
        while (!started.isEmpty()) {
            AutoCloseable resource = started.pop();
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println("stopping " + resource.getClass().getSimpleName() + " failed: " + e.getMessage());
            }
        }
    }
}
