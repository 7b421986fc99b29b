package dev.huddle.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.huddle.common.DependencyUnavailableException;
import dev.huddle.common.http.HttpResponse;
import dev.huddle.common.observability.LatencyEwma;
import dev.huddle.health.HealthConfig;
import dev.huddle.health.HealthService;
import dev.huddle.health.PostgresHealthProbe;
import dev.huddle.ratelimit.RateLimitDecision;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A database that accepts TCP connections and never answers (a hung server, a black-holing proxy) must
 * cost one connect timeout, not a hung Lambda: the store and the health probe fail fast with 503.
 */
class UnreachableDatabaseTest {
    /** Well inside the ingest Lambda's 10 s timeout (a hung call would reach it), with room for a busy machine. */
    private static final Duration FAST = Duration.ofSeconds(8);
    private ServerSocket blackHole;
    private Map<String, String> env;
    private IngestConfig config;

    @BeforeEach
    void openBlackHole() throws IOException {
        // Never accept()ed: the kernel completes the TCP handshake, then nothing is ever sent back.
        blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        env = Map.of(
                "DB_URL", "jdbc:postgresql://127.0.0.1:" + blackHole.getLocalPort() + "/huddle",
                "DB_CONNECT_TIMEOUT_MS", "1000",
                "DB_STATEMENT_TIMEOUT_MS", "1000",
                "HEALTH_DB_TIMEOUT_MS", "1000");
        config = IngestConfig.from(env);
    }

    @AfterEach
    void closeBlackHole() throws IOException {
        blackHole.close();
    }

    @Test
    void failsFastWithDependencyUnavailable_whenTheDatabaseNeverAnswers() {
        PostgresEventStore store = PostgresEventStore.fromConfig(config);
        long started = System.nanoTime();

        assertThatThrownBy(() -> store.storeProgress("learner-0001", List.of(event()), OptionalInt.empty()))
                .isInstanceOf(DependencyUnavailableException.class);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(FAST);
    }

    @Test
    void answers503WithRetryAfter_endToEnd() {
        IngestService service = new IngestService(config, user -> RateLimitDecision.allow(),
                PostgresEventStore.fromConfig(config), ProgressEventValidatorTest.CLOCK, new LatencyEwma(), line -> { });
        HttpResponse response = service.handle(IngestRoute.PROGRESS_BATCH,
                TestRequests.post(IngestServiceTest.batch(IngestServiceTest.progress("evt-unreach-1"))).build());

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.headers()).containsEntry("Retry-After", "2");
    }

    @Test
    void answers503WithRetryAfter_whenSecretsManagerNeverAnswers() {
        IngestConfig withSecret = IngestConfig.from(Map.of(
                "DB_URL", "jdbc:postgresql://127.0.0.1:1/huddle",
                "DB_CONNECT_TIMEOUT_MS", "1000",
                "DB_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:123456789012:secret:unreachable-" + System.nanoTime(),
                "SECRETS_MANAGER_ENDPOINT", "http://127.0.0.1:" + blackHole.getLocalPort()));
        IngestService service = new IngestService(withSecret, user -> RateLimitDecision.allow(),
                PostgresEventStore.fromConfig(withSecret), ProgressEventValidatorTest.CLOCK, new LatencyEwma(), line -> { });
        long started = System.nanoTime();

        HttpResponse response = service.handle(IngestRoute.PROGRESS_BATCH,
                TestRequests.post(IngestServiceTest.batch(IngestServiceTest.progress("evt-unreach-2"))).build());

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.headers()).containsEntry("Retry-After", "2");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(FAST);
    }

    @Test
    void reportsHealth503_whenTheDatabaseNeverAnswers() {
        long started = System.nanoTime();
        HttpResponse response = new HealthService(PostgresHealthProbe.fromConfig(HealthConfig.from(env)), new LatencyEwma(),
                HealthConfig.from(env)).check();

        assertThat(response.status()).isEqualTo(503);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(FAST);
    }

    private static ProgressEvent event() {
        return new ProgressEvent("evt-unreach-1", ProgressEvent.Type.LESSON_PROGRESS, "course-101",
                "course-101-lesson-01", java.math.BigDecimal.TEN, 5, java.time.Instant.parse("2026-11-28T11:00:00Z"));
    }
}
