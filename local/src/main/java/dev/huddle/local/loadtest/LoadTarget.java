package dev.huddle.local.loadtest;

import dev.huddle.devservers.LatencyProxy;
import dev.huddle.devservers.SimpleDataSource;
import dev.huddle.local.StartupProgress;
import dev.huddle.local.gateway.GatewaySettings;
import dev.huddle.local.jwt.JwtSettings;
import dev.huddle.local.jwt.SigningKeyStore;
import dev.huddle.local.jwt.TokenIssuer;
import dev.huddle.local.stack.BackgroundSettings;
import dev.huddle.local.stack.LocalStack;
import dev.huddle.local.stack.LocalStackOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * The stack a load test runs against: its own, started in this JVM in a fresh temporary state directory
 * (removed afterwards), or a running one given by URL, whose signing key (state directory) and database
 * (options, environment or its endpoints.json) the caller names.
 */
final class LoadTarget implements AutoCloseable {
    private final URI baseUrl;
    private final TokenIssuer tokens;
    private final DataSource database;
    private final LocalStack ownStack;
    private final Path ownStateDirectory;

    private LoadTarget(URI baseUrl, TokenIssuer tokens, DataSource database, LocalStack ownStack,
            Path ownStateDirectory) {
        this.baseUrl = baseUrl;
        this.tokens = tokens;
        this.database = database;
        this.ownStack = ownStack;
        this.ownStateDirectory = ownStateDirectory;
    }

    /**
     * Starts a stack of its own on free ports.
     *
     * @param dbLatency null: functions connect to PostgreSQL directly; otherwise through the latency proxy
     * @param concurrency execution environments of each function
     */
    static LoadTarget ownStack(Duration dbLatency, int concurrency, Map<String, String> environment) {
        Path stateDirectory;
        try {
            stateDirectory = Files.createTempDirectory("huddle-loadtest-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a state directory", e);
        }
        try {
            LocalStack stack = LocalStack.start(new LocalStackOptions(stateDirectory, "127.0.0.1", 0,
                    GatewaySettings.DEFAULT_THREADS, concurrency, true, BackgroundSettings.defaults(), dbLatency,
                    environment), StartupProgress.silent());
            TokenIssuer issuer = new TokenIssuer(SigningKeyStore.loadOrCreate(stack.jwt().keyFile()), stack.jwt());
            DataSource database = new SimpleDataSource(stack.config().dbUrl(), stack.config().dbUser(),
                    stack.config().dbPassword());
            return new LoadTarget(URI.create(stack.baseUrl()), issuer, database, stack, stateDirectory);
        } catch (RuntimeException e) {
            deleteRecursively(stateDirectory);
            throw e;
        }
    }

    /** A running stack: tokens signed with the key in its state directory, rows counted in {@code database}. */
    static LoadTarget running(URI baseUrl, Path stateDirectory, Map<String, String> environment,
            DataSource database) {
        JwtSettings jwt = JwtSettings.from(environment, stateDirectory);
        if (!Files.isRegularFile(jwt.keyFile())) {
            throw new IllegalStateException("no signing key at " + jwt.keyFile() + ": give the running stack's"
                    + " --state-dir (or " + JwtSettings.KEY_FILE_ENV + ") so its tokens are accepted");
        }
        TokenIssuer issuer = new TokenIssuer(SigningKeyStore.loadOrCreate(jwt.keyFile()), jwt);
        return new LoadTarget(baseUrl, issuer, database, null, null);
    }

    /**
     * Execution environments per function of an own stack. Lambda adds environments as requests overlap;
     * the stack's default of 8 acts like a reserved concurrency of 8 and caps the ingest function near
     * 8 / handler time (about 500 requests/s at 15 ms), which would make the load test measure that queue.
     */
    static final int LOAD_TEST_CONCURRENCY = 32;

    URI baseUrl() {
        return baseUrl;
    }

    TokenIssuer tokens() {
        return tokens;
    }

    /** The database itself (never through the latency proxy), to count rows. */
    DataSource database() {
        return database;
    }

    /** The proxy in front of PostgreSQL, when this target is an own stack started with one. */
    Optional<LatencyProxy> databaseProxy() {
        return ownStack == null ? Optional.empty() : ownStack.databaseProxy();
    }

    /**
     * What a function process needs, beyond the environment, to reach this own stack's servers (by Config
     * name: DB_URL, DYNAMODB_ENDPOINT, SQS_ENDPOINT, ...); empty for a running stack.
     */
    Map<String, String> providedSettings() {
        return ownStack == null ? Map.of() : ownStack.providedSettings();
    }

    String describe() {
        return ownStack == null ? baseUrl + " (running stack)" : baseUrl + " (own stack, state in " + ownStateDirectory + ")";
    }

    @Override
    public void close() {
        if (ownStack != null) {
            ownStack.close();
            deleteRecursively(ownStateDirectory);
        }
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("cannot remove " + directory + ": " + e.getMessage());
        }
    }
}
