package dev.huddle.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.huddle.common.AwsClients;
import dev.huddle.common.AwsConfig;
import dev.huddle.common.Settings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The production limiter (AwsClients client, DynamoDB bucket, fail-open policy) when DynamoDB cannot
 * answer: it must answer from the in-memory bucket within the configured timeout, never hang.
 */
class FaultPolicyTest {

    private static final int TIMEOUT_MS = 300;
    /**
     * Scheduling on a busy 2-core build machine, not the limiter's own work: generous, yet far below a hung
     * call (the SDK's default socket timeout is 30 s). The configured timeouts are pinned by AwsClientsTest.
     */
    private static final long MARGIN_MS = 2_700;

    private final List<FallbackRecorder.Cause> fallbacks = new CopyOnWriteArrayList<>();
    private final List<String> errorTypes = new CopyOnWriteArrayList<>();
    private BlackHole blackHole;
    private DynamoDbClient dynamoDb;

    @AfterEach
    void close() throws IOException {
        if (dynamoDb != null) {
            dynamoDb.close();
        }
        if (blackHole != null) {
            blackHole.close();
        }
    }

    @Test
    void answersFromTheFallbackWithinTheTimeout_whenNothingListensOnTheEndpoint() throws IOException {
        Limits config = configFor(closedPort());
        warmUpTheSdk(config);
        RateLimiter limiter = RateLimiters.fromConfig(config.rateLimit, config.aws);

        long started = System.nanoTime();
        RateLimitDecision decision = limiter.tryAcquire("learner-1");

        long tookMillis = millisSince(started);
        System.out.printf("fault: closed port answered in %d ms (timeout %d ms)%n", tookMillis, TIMEOUT_MS);
        assertThat(decision.allowed()).isTrue();
        assertThat(tookMillis).isLessThan(TIMEOUT_MS + MARGIN_MS);
    }

    @Test
    void answersWithinTheTimeout_whenTheEndpointAcceptsButNeverAnswers() throws IOException {
        blackHole = BlackHole.open();
        Limits config = configFor(blackHole.port());
        warmUpTheSdk(config);
        RateLimiter limiter = productionPolicy(config);

        long started = System.nanoTime();
        RateLimitDecision decision = limiter.tryAcquire("learner-1");

        long tookMillis = millisSince(started);
        System.out.printf("fault: black hole answered in %d ms (timeout %d ms)%n", tookMillis, TIMEOUT_MS);
        assertThat(decision.allowed()).isTrue();
        assertThat(tookMillis).isBetween((long) TIMEOUT_MS / 2, TIMEOUT_MS + MARGIN_MS);
        assertThat(fallbacks).containsExactly(FallbackRecorder.Cause.DYNAMODB_ERROR);
        // The whole-call timeout ended it (not a socket timeout followed by retries), whatever the machine's speed.
        assertThat(errorTypes).containsExactly("ApiCallTimeoutException");
    }

    @Test
    void stillRefusesAfterTheBurst_whileDynamoDbIsDown() throws IOException {
        blackHole = BlackHole.open();
        Limits config = configFor(blackHole.port());
        RateLimiter limiter = productionPolicy(config);

        long started = System.nanoTime();
        List<RateLimitDecision> decisions = new ArrayList<>();
        for (int i = 0; i < config.rateLimit.burst() + 2; i++) {
            decisions.add(limiter.tryAcquire("learner-1"));
        }

        assertThat(decisions.subList(0, config.rateLimit.burst())).allMatch(RateLimitDecision::allowed);
        assertThat(decisions.subList(config.rateLimit.burst(), decisions.size()))
                .noneMatch(RateLimitDecision::allowed)
                .allMatch(d -> d.retryAfterSeconds() >= 1);
        // The breaker kept DynamoDB off the path after the first timeout: one timeout in total.
        assertThat(fallbacks).first().isEqualTo(FallbackRecorder.Cause.DYNAMODB_ERROR);
        assertThat(fallbacks.subList(1, fallbacks.size())).containsOnly(FallbackRecorder.Cause.CIRCUIT_OPEN);
        assertThat(millisSince(started)).isLessThan(TIMEOUT_MS + MARGIN_MS + 2_000);
    }

    /** The same parts as RateLimiters.fromConfig, with a recorder the test can read. */
    private RateLimiter productionPolicy(Limits config) {
        Clock clock = Clock.systemUTC();
        Gcra gcra = Gcra.of(config.rateLimit.perSecond(), config.rateLimit.burst());
        dynamoDb = AwsClients.dynamoDb(config.aws);
        return new FailOpenRateLimiter(
                new DynamoDbTokenBucket(dynamoDb, config.rateLimit.table(), gcra, clock),
                new LocalTokenBucket(gcra, clock),
                new CircuitBreaker(RateLimiters.BREAKER_OPEN_FOR, clock),
                (cause, errorType) -> {
                    fallbacks.add(cause);
                    errorTypes.add(String.valueOf(errorType));
                });
    }

    /** Loads the SDK's classes once, so the measured call times the limiter and not class loading. */
    private static void warmUpTheSdk(Limits config) {
        RateLimiters.fromConfig(config.rateLimit, config.aws).tryAcquire("warm-up");
    }

    private static Limits configFor(int port) {
        Map<String, String> env = Map.of(
                "DYNAMODB_ENDPOINT", "http://127.0.0.1:" + port,
                "DYNAMODB_TIMEOUT_MS", Integer.toString(TIMEOUT_MS),
                "RATE_LIMIT_PER_SECOND", "5",
                "RATE_LIMIT_BURST", "10");
        return new Limits(RateLimitConfig.from(Settings.of(env)), AwsConfig.from(env));
    }

    /** The ingest function's settings this test needs: the limits and the DynamoDB client's. */
    private record Limits(RateLimitConfig rateLimit, AwsConfig aws) {
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static long millisSince(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos).toMillis();
    }

    /** A local port that accepts connections and never answers: a hung DynamoDB. */
    private static final class BlackHole implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> held = new CopyOnWriteArrayList<>();

        private BlackHole(ServerSocket server) {
            this.server = server;
        }

        static BlackHole open() throws IOException {
            BlackHole hole = new BlackHole(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
            Thread acceptor = new Thread(hole::acceptForever, "black-hole");
            acceptor.setDaemon(true);
            acceptor.start();
            return hole;
        }

        int port() {
            return server.getLocalPort();
        }

        private void acceptForever() {
            try {
                while (!server.isClosed()) {
                    held.add(server.accept());
                }
            } catch (IOException closed) {
                // the test is over
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket socket : held) {
                socket.close();
            }
        }
    }
}
