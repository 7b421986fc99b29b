package dev.huddle.local.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.huddle.common.Json;
import dev.huddle.local.jwt.TestKeys;
import dev.huddle.local.jwt.TokenIssuer;
import dev.huddle.local.jwt.TokenVerifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Overload is shed, not queued: with both execution environments of a function busy, further requests get
 * the contract's 503 with Retry-After while the admitted ones are still running, and the admitted ones
 * succeed.
 */
class FrontSheddingTest {
    private static final int ENVIRONMENTS = 2;
    private final CountDownLatch release = new CountDownLatch(1);
    private final Semaphore entered = new Semaphore(0);
    private final HttpClient client = HttpClient.newHttpClient();
    private final TokenIssuer issuer = new TokenIssuer(TestKeys.KEY, TestKeys.SETTINGS);
    private RouteTable routes;
    private ApiGatewayFront front;

    @BeforeEach
    void startFront() {
        LocalFunction ingest = new LocalFunction("test-ingest", Duration.ofSeconds(30), ENVIRONMENTS, () -> (event, context) -> {
            entered.release();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return APIGatewayV2HTTPResponse.builder().withStatusCode(200).withBody("{\"accepted\":[]}").build();
        });
        routes = RouteTable.builder().jwt("POST", "/api/client/progress/batch", ingest).build();
        front = startFront(Duration.ofMillis(20));
    }

    private ApiGatewayFront startFront(Duration admissionWait) {
        return ApiGatewayFront.start(new GatewaySettings("127.0.0.1", 0, 16, 4096,
                GatewaySettings.DEFAULT_MAX_CONNECTIONS, admissionWait), routes,
                new TokenVerifier(TestKeys.KEY, TestKeys.SETTINGS, Clock.systemUTC()), Clock.systemUTC());
    }

    @AfterEach
    void stopFront() {
        release.countDown();
        front.close();
    }

    @Test
    void shedsWith503AndRetryAfter_whileEveryEnvironmentIsBusy_andServesTheAdmittedOnes() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> admitted = new ArrayList<>();
        for (int i = 0; i < ENVIRONMENTS; i++) {
            admitted.add(client.sendAsync(post(), BodyHandlers.ofString()));
        }
        assertThat(entered.tryAcquire(ENVIRONMENTS, 60, TimeUnit.SECONDS)).as("both environments busy").isTrue();

        for (int i = 0; i < 10; i++) {
            // Answered while the admitted requests still hold every environment: shed, not queued.
            HttpResponse<String> shed = client.send(post(), BodyHandlers.ofString());

            assertThat(shed.statusCode()).isEqualTo(503);
            assertThat(shed.headers().firstValue("Retry-After")).hasValue("1");
            JsonNode body = Json.mapper().readTree(shed.body());
            assertThat(body.path("error").asText()).isEqualTo("service_unavailable");
            assertThat(body.path("message").asText()).contains("retry after 1 s with the same events");
        }
        assertThat(admitted).noneMatch(CompletableFuture::isDone);

        release.countDown();

        for (CompletableFuture<HttpResponse<String>> answer : admitted) {
            assertThat(answer.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(client.send(post(), BodyHandlers.ofString()).statusCode())
                .as("a free environment serves again").isEqualTo(200);
    }

    /**
     * A request whose admission time is over while every environment is busy is shed before the front reads
     * its body or verifies its token (an unsigned token gets the 503, not a 401); with an environment free,
     * the same request is checked as usual (401).
     */
    @Test
    void shedsALateRequest_beforeReadingItsBodyOrVerifyingItsToken_whileEveryEnvironmentIsBusy() throws Exception {
        front.close();
        front = startFront(Duration.ZERO);
        HttpRequest unsigned = HttpRequest.newBuilder(URI.create(front.baseUrl() + "/api/client/progress/batch"))
                .header("Authorization", "Bearer not-a-token").header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"events\":[]}")).build();
        assertThat(client.send(unsigned, BodyHandlers.ofString()).statusCode())
                .as("an environment is free: the token is checked").isEqualTo(401);

        List<CompletableFuture<HttpResponse<String>>> admitted = new ArrayList<>();
        for (int i = 0; i < ENVIRONMENTS; i++) {
            admitted.add(client.sendAsync(post(), BodyHandlers.ofString()));
            // One at a time: with no admission wait, a request arriving while the other creates its
            // environment could be shed.
            assertThat(entered.tryAcquire(1, 60, TimeUnit.SECONDS)).as("environment %d busy", i + 1).isTrue();
        }

        HttpResponse<String> shed = client.send(unsigned, BodyHandlers.ofString());

        assertThat(shed.statusCode()).as("shed before the token is looked at").isEqualTo(503);
        assertThat(shed.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(Json.mapper().readTree(shed.body()).path("error").asText()).isEqualTo("service_unavailable");
        release.countDown();
        for (CompletableFuture<HttpResponse<String>> answer : admitted) {
            assertThat(answer.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
    }

    private HttpRequest post() {
        String token = issuer.issue("learner-0001", Duration.ofHours(1), List.of(), Instant.now());
        return HttpRequest.newBuilder(URI.create(front.baseUrl() + "/api/client/progress/batch"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"events\":[]}")).build();
    }
}
