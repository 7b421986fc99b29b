package dev.huddle.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.huddle.common.Json;
import dev.huddle.common.AwsClients;
import dev.huddle.local.jwt.TokenIssuer;
import dev.huddle.ratelimit.RateLimitTableSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The acceptance scenario of the local stack, in-process: embedded PostgreSQL, dynalite, migrations,
 * demo data, the real handlers behind the front on a free port, tokens from the stack's own key, real HTTP.
 * Each test uses its own learner (all in org-1, assigned course-101) so rate limits do not interfere.
 */
class EmulatedStackEndToEndTest {
    private static EmulatedStack stack;
    private static TokenIssuer tokens;
    private static final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void useTheSharedStack() {
        stack = SharedTestStack.stack();
        tokens = SharedTestStack.tokens();
    }

    @Test
    void threeValidEvents_areAccepted_thenReportedAsDuplicates() throws Exception {
        String body = batch(IntStream.range(0, 3).mapToObj(i -> progressEvent()).toList());

        HttpResponse<String> first = post("learner-0001", body);
        HttpResponse<String> again = post("learner-0001", body);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(json(first).path("accepted")).hasSize(3);
        assertThat(json(first).path("duplicates")).isEmpty();
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json(again).path("duplicates")).hasSize(3);
        assertThat(json(again).path("accepted")).isEmpty();
    }

    @Test
    void batchOf101Events_isRefusedWith413() throws Exception {
        HttpResponse<String> response = post("learner-0004",
                batch(IntStream.range(0, 101).mapToObj(i -> progressEvent()).toList()));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response).path("error").asText()).isEqualTo("too_many_events");
    }

    @Test
    void burstOf20Requests_getsSome429WithRetryAfter() throws Exception {
        String token = token("learner-0007");
        List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            burst.add(client.sendAsync(postRequest(token, batch(List.of(progressEvent()))), BodyHandlers.ofString()));
        }
        List<HttpResponse<String>> responses = burst.stream().map(CompletableFuture::join).toList();

        List<HttpResponse<String>> limited = responses.stream().filter(r -> r.statusCode() == 429).toList();
        assertThat(limited).isNotEmpty();
        assertThat(limited).allSatisfy(r -> assertThat(r.headers().firstValue("retry-after"))
                .hasValueSatisfying(seconds -> assertThat(Integer.parseInt(seconds)).isPositive()));
        assertThat(responses).extracting(HttpResponse::statusCode).containsOnly(200, 429).contains(200);
        assertThat(rateLimitKeys()).as("the bucket lives in DynamoDB (dynalite)").anyMatch(key -> key.contains("learner-0007"));
    }

    private static List<String> rateLimitKeys() {
        try (DynamoDbClient dynamo = AwsClients.dynamoDb(stack.config().aws())) {
            return dynamo.scan(request -> request.tableName(stack.config().rateLimit().table())).items().stream()
                    .map(item -> item.get(RateLimitTableSchema.PARTITION_KEY).s())
                    .toList();
        }
    }

    @Test
    void spoofedUserId_isRefusedWith403() throws Exception {
        Map<String, Object> event = progressEvent();
        event.put("userId", "learner-0002");

        HttpResponse<String> response = post("learner-0010", batch(List.of(event)));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(json(response).path("error").asText()).isEqualTo("forbidden_user_mismatch");
    }

    @Test
    void nonJsonBody_isRefusedWith400() throws Exception {
        HttpResponse<String> response = post("learner-0013", "this is not json");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("error").asText()).isEqualTo("invalid_json");
    }

    @Test
    void requestWithoutToken_isRefusedWith401() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/api/client/progress/batch"))
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(batch(List.of(progressEvent())))).build(), BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).path("error").asText()).isEqualTo("unauthorized");
    }

    @Test
    void health_isOk_withoutToken() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/api/health")).GET().build(),
                BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).path("status").asText()).isIn("ok", "degraded");
        assertThat(json(response).path("db").path("ok").asBoolean()).isTrue();
    }

    private static HttpResponse<String> post(String user, String body) throws Exception {
        return client.send(postRequest(token(user), body), BodyHandlers.ofString());
    }

    private static HttpRequest postRequest(String token, String body) {
        return HttpRequest.newBuilder(uri("/api/client/progress/batch"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(body))
                .build();
    }

    private static String token(String user) {
        return tokens.issue(user, Duration.ofMinutes(10), List.of(), Instant.now());
    }

    private static Map<String, Object> progressEvent() {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", "e2e-" + UUID.randomUUID());
        event.put("type", "lesson_progress");
        event.put("courseId", "course-101");
        event.put("lessonId", "course-101-lesson-01");
        event.put("progressPercent", 50);
        event.put("timeSpentSeconds", 30);
        event.put("occurredAt", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        return event;
    }

    private static String batch(List<Map<String, Object>> events) throws Exception {
        return Json.mapper().writeValueAsString(Map.of("events", events));
    }

    private static URI uri(String path) {
        return URI.create(stack.baseUrl() + path);
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.mapper().readTree(response.body());
    }
}
