package dev.huddle.local.clienttests;

import com.sun.net.httpserver.Filter;
import dev.huddle.devservers.LatencyProxy;
import dev.huddle.devservers.PostgresServer;
import dev.huddle.local.StartupProgress;
import dev.huddle.local.gateway.LocalFunction;
import dev.huddle.local.jwt.SigningKeyStore;
import dev.huddle.local.jwt.TokenIssuer;
import dev.huddle.local.stack.BackgroundSettings;
import dev.huddle.local.stack.EmulatedStack;
import dev.huddle.local.stack.EmulatedStackOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The local stack for the client tests, started once per test JVM: its own embedded PostgreSQL reached
 * through a {@link LatencyProxy} (the stack treats it as an external {@code DB_URL}), so a test can make the
 * database slow. The back-pressure SLO is lowered to 100 ms so a few hundred milliseconds of delay are
 * "slow" without making the tests long.
 */
final class ClientTestStack {
    static final Duration DB_LATENCY_SLO = Duration.ofMillis(100);
    private static final String DATABASE = "postgres";

    private static ClientTestStack instance;

    private final PostgresServer postgres;
    private final LatencyProxy proxy;
    private final EmulatedStack stack;
    private final TokenIssuer tokens;

    private ClientTestStack(PostgresServer postgres, LatencyProxy proxy, EmulatedStack stack, TokenIssuer tokens) {
        this.postgres = postgres;
        this.proxy = proxy;
        this.stack = stack;
        this.tokens = tokens;
    }

    static synchronized ClientTestStack get() {
        if (instance == null) {
            instance = start();
            ClientTestStack started = instance;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "client-test-stack-stop"));
        }
        return instance;
    }

    private static ClientTestStack start() {
        PostgresServer postgres = PostgresServer.start(null, 0);
        try {
            LatencyProxy proxy = LatencyProxy.start("127.0.0.1", postgres.port(), Duration.ZERO);
            Path state = Files.createTempDirectory("client-test-stack");
            EmulatedStack stack = EmulatedStack.start(new EmulatedStackOptions(state, "127.0.0.1", 0, 16,
                    LocalFunction.DEFAULT_MAX_ENVIRONMENTS, false, BackgroundSettings.defaults(),
                    Map.of("DB_URL", "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + DATABASE,
                            "DB_USER", postgres.user(),
                            "DB_PASSWORD", postgres.password(),
                            "DB_LATENCY_SLO_MS", Long.toString(DB_LATENCY_SLO.toMillis()),
                            // A loaded 2-core machine: see SharedTestStack.
                            "DYNAMODB_TIMEOUT_MS", "3000")),
                    StartupProgress.silent());
            TokenIssuer tokens = new TokenIssuer(SigningKeyStore.loadOrCreate(stack.jwt().keyFile()), stack.jwt());
            return new ClientTestStack(postgres, proxy, stack, tokens);
        } catch (IOException e) {
            postgres.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            postgres.close();
            throw e;
        }
    }

    URI baseUrl() {
        return URI.create(stack.baseUrl());
    }

    String token(String user) {
        return tokens.issue(user, Duration.ofMinutes(30), List.of(), Instant.now());
    }

    /** Straight to PostgreSQL, not through the proxy: the tests' own queries are never delayed. */
    DataSource database() {
        return postgres.dataSource(DATABASE);
    }

    LatencyProxy proxy() {
        return proxy;
    }

    /** Puts a filter in front of the stack's API routes (a request counter). */
    void filterApi(Filter filter) {
        stack.front().filterApi(filter);
    }

    private void stop() {
        stack.close();
        proxy.close();
        postgres.close();
    }
}
