package dev.huddle.local.contract;

import static dev.huddle.local.contract.ContractCase.Condition.BUCKET_EMPTY;
import static dev.huddle.local.contract.ContractCase.Condition.DATABASE_DOWN;
import static dev.huddle.local.contract.ContractCase.Condition.DATABASE_SLOW;
import static dev.huddle.local.contract.ContractCase.Condition.NORMAL;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.huddle.common.Json;
import dev.huddle.local.contract.ContractCase.Auth;
import dev.huddle.local.contract.ContractCase.Call;
import dev.huddle.local.contract.ContractCase.Condition;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;

/**
 * The contract test's one table: every route with good and bad input, every sample of events-samples/
 * replayed over HTTP, and the states of the stack that produce 429 and 503. A new status of the contract is
 * a new row here (ApiContractTest fails until every documented status has one).
 */
final class ContractCases {
    static final Path SAMPLES = Path.of("..", "events-samples");
    private static final String JSON = "application/json";
    private static final String ADMIN = "GET /api/admin/orgs/{orgId}/rollups";
    private static final String HEALTH = "GET /api/health";

    /** The four ingest routes: route key, whether the body is a batch, whether events are progress events. */
    private record IngestRoute(String routeKey, boolean batch, boolean progress) {
        String path() {
            return routeKey.substring("POST ".length());
        }
    }

    private static final List<IngestRoute> INGEST_ROUTES = List.of(
            new IngestRoute("POST /api/client/progress/batch", true, true),
            new IngestRoute("POST /api/client/progress/lesson", false, true),
            new IngestRoute("POST /api/analytics/events/batch", true, false),
            new IngestRoute("POST /api/analytics/events", false, false));

    /** Each API Gateway sample with the answer the contract promises for it (null route: outside the spec). */
    record Sample(String file, int status, String error) {
    }

    static final List<Sample> SAMPLE_ANSWERS = List.of(
            new Sample("apigw_v2_progress_batch_valid.json", 200, null),
            new Sample("apigw_v2_progress_batch_mixed.json", 200, null),
            new Sample("apigw_v2_progress_batch_gzip_base64.json", 200, null),
            new Sample("apigw_v2_progress_lesson_valid.json", 200, null),
            new Sample("apigw_v2_analytics_batch_valid.json", 200, null),
            new Sample("apigw_v2_analytics_event_valid.json", 200, null),
            new Sample("apigw_v2_progress_batch_invalid_json.json", 400, "invalid_json"),
            new Sample("apigw_v2_progress_batch_events_missing.json", 400, "invalid_shape"),
            new Sample("apigw_v2_progress_batch_no_claims.json", 401, "unauthorized"),
            new Sample("apigw_v2_progress_batch_spoofed_user.json", 403, "forbidden_user_mismatch"),
            new Sample("apigw_v2_progress_batch_101_events.json", 413, "too_many_events"),
            new Sample("apigw_v2_progress_batch_oversized_body.json", 413, "payload_too_large"),
            new Sample("apigw_v2_progress_batch_wrong_content_type.json", 415, "unsupported_media_type"),
            new Sample("apigw_v2_progress_batch_unsupported_encoding.json", 415, "unsupported_encoding"),
            // The function would answer 405, but API Gateway matches routes by method and path first.
            new Sample("apigw_v2_progress_batch_wrong_method.json", 404, null),
            new Sample("apigw_v2_unknown_route.json", 404, null),
            new Sample("apigw_v2_health.json", 200, null),
            new Sample("apigw_v2_admin_rollups_valid.json", 200, null),
            new Sample("apigw_v2_admin_rollups_other_org.json", 403, "forbidden"));

    private ContractCases() {
    }

    static List<ContractCase> all() {
        List<ContractCase> cases = new ArrayList<>();
        SAMPLE_ANSWERS.forEach(sample -> cases.add(fromSample(sample)));
        INGEST_ROUTES.forEach(route -> cases.addAll(ingest(route)));
        cases.addAll(admin());
        cases.add(new ContractCase("GET /api/health -> 200", HEALTH, get("/api/health", new Auth.None()), NORMAL, 200, null));
        cases.add(new ContractCase("DELETE /api/health (no such route) -> gateway 404", null,
                new Call("DELETE", "/api/health", Map.of(), new byte[0], new Auth.None()), NORMAL, 404, null));
        // The states that change the stack for everyone come last.
        INGEST_ROUTES.forEach(route -> cases.add(ingestCase(route, "slow database -> 200 with X-Client-Queue-Lag",
                good(route), DATABASE_SLOW, 200, null)));
        INGEST_ROUTES.forEach(route -> cases.add(ingestCase(route, "database down -> 503", good(route),
                DATABASE_DOWN, 503, "service_unavailable")));
        cases.add(new ContractCase("GET /api/health, database down -> 503", HEALTH,
                get("/api/health", new Auth.None()), DATABASE_DOWN, 503, "service_unavailable"));
        cases.add(new ContractCase(ADMIN + ", database down -> 503", ADMIN,
                get(rollups("org-1", today(), today()), admin("org-1")), DATABASE_DOWN, 503, "service_unavailable"));
        return cases;
    }

    private static List<ContractCase> ingest(IngestRoute route) {
        String learner = ContractStack.freshLearner();
        Map<String, Object> spoofed = event(route);
        spoofed.put("userId", "learner-0001");
        Map<String, Object> padded = event(route);
        padded.put("padding", "x".repeat(260 * 1024));
        List<ContractCase> cases = new ArrayList<>(List.of(
                ingestCase(route, "good -> 200", good(route), NORMAL, 200, null),
                ingestCase(route, "gzip -> 200", withHeader(good(route), "Content-Encoding", "gzip",
                        gzip(good(route).body())), NORMAL, 200, null),
                ingestCase(route, "truncated JSON -> 400", post(route, bytes("{\"events\": [")), NORMAL, 400, "invalid_json"),
                ingestCase(route, "duplicate key -> 400", post(route, bytes("{\"eventId\": \"a\", \"eventId\": \"b\"}")),
                        NORMAL, 400, "invalid_json"),
                ingestCase(route, "wrong shape -> 400", post(route, bytes(route.batch() ? "{\"events\": {}}" : "[]")),
                        NORMAL, 400, "invalid_shape"),
                ingestCase(route, "no token -> 401", post(route, body(route, event(route))).as(new Auth.None()),
                        NORMAL, 401, "unauthorized"),
                ingestCase(route, "not a JWT -> 401", post(route, body(route, event(route)))
                        .as(new Auth.Raw("Bearer not-a-jwt")), NORMAL, 401, "unauthorized"),
                ingestCase(route, "bad signature -> 401", post(route, body(route, event(route)))
                        .as(new Auth.BadSignature(learner)), NORMAL, 401, "unauthorized"),
                ingestCase(route, "expired token -> 401", post(route, body(route, event(route)))
                        .as(new Auth.Token(learner, List.of(), 60)), NORMAL, 401, "unauthorized"),
                ingestCase(route, "userId of another learner -> 403", post(route, body(route, spoofed)),
                        NORMAL, 403, "forbidden_user_mismatch"),
                ingestCase(route, "body over 256 KB -> 413", post(route, body(route, padded)),
                        NORMAL, 413, "payload_too_large"),
                ingestCase(route, "text/plain -> 415", withHeader(good(route), "Content-Type", "text/plain", null),
                        NORMAL, 415, "unsupported_media_type"),
                ingestCase(route, "Content-Encoding br -> 415", withHeader(good(route), "Content-Encoding", "br", null),
                        NORMAL, 415, "unsupported_encoding"),
                ingestCase(route, "token bucket empty -> 429", good(route), BUCKET_EMPTY, 429, "rate_limited")));
        if (route.batch()) {
            List<Map<String, Object>> events = IntStream.range(0, 101).mapToObj(i -> event(route)).toList();
            cases.add(ingestCase(route, "101 events -> 413", post(route, json(Map.of("events", events))),
                    NORMAL, 413, "too_many_events"));
        }
        return cases;
    }

    private static List<ContractCase> admin() {
        String today = today();
        String yearAgo = LocalDate.parse(today).minusDays(366).toString();
        return List.of(
                adminCase("today -> 200", get(rollups("org-1", today, today), admin("org-1")), 200, null),
                adminCase("no `to` -> 400", get("/api/admin/orgs/org-1/rollups?from=" + today, admin("org-1")),
                        400, "invalid_query"),
                adminCase("from after to -> 400", get(rollups("org-1", today, yearAgo), admin("org-1")),
                        400, "invalid_query"),
                adminCase("367 days -> 400", get(rollups("org-1", yearAgo, today), admin("org-1")), 400, "invalid_query"),
                adminCase("no token -> 401", get(rollups("org-1", today, today), new Auth.None()), 401, "unauthorized"),
                adminCase("bad signature -> 401", get(rollups("org-1", today, today), new Auth.BadSignature("admin-1")),
                        401, "unauthorized"),
                adminCase("learner token -> 403", get(rollups("org-1", today, today),
                        new Auth.Token(ContractStack.freshLearner(), List.of(), 0)), 403, "forbidden"),
                adminCase("no such org -> 404", get(rollups("org-999", today, today), admin("org-999")), 404, "not_found"));
    }

    /** Replays a sample's method, path, query, content headers and body; its claims become a real token. */
    private static ContractCase fromSample(Sample sample) {
        JsonNode event = readSample(sample.file());
        String routeKey = event.path("routeKey").asText();
        String path = event.path("rawPath").asText();
        String query = event.path("rawQueryString").asText("");
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : List.of("content-type", "content-encoding", "x-client-queue-depth", "accept")) {
            if (event.path("headers").has(name)) {
                headers.put(name, event.path("headers").path(name).asText());
            }
        }
        JsonNode bodyNode = event.path("body");
        byte[] body = bodyNode.isTextual()
                ? (event.path("isBase64Encoded").asBoolean() ? Base64.getDecoder().decode(bodyNode.asText())
                        : bytes(bodyNode.asText()))
                : new byte[0];
        JsonNode claims = event.path("requestContext").path("authorizer").path("jwt").path("claims");
        Auth auth = claims.isObject() ? sampleToken(claims) : new Auth.None();
        String method = event.path("requestContext").path("http").path("method").asText();
        Call call = new Call(method, path + (query.isEmpty() ? "" : "?" + query), headers, body, auth);
        return new ContractCase("sample " + sample.file() + " -> " + sample.status(),
                routeKey.equals("$default") ? null : routeKey, call, NORMAL, sample.status(), sample.error());
    }

    /** Admins keep the sample's subject and orgs; a learner becomes a fresh demo learner (own bucket). */
    private static Auth sampleToken(JsonNode claims) {
        List<String> adminOrgs = Arrays.stream(claims.path("scope").asText("").split("\\s+"))
                .filter(scope -> scope.startsWith("admin:")).map(scope -> scope.substring("admin:".length())).toList();
        return adminOrgs.isEmpty() ? new Auth.Token(ContractStack.freshLearner(), List.of(), 0)
                : new Auth.Token(claims.path("sub").asText(), adminOrgs, 0);
    }

    static JsonNode readSample(String file) {
        try {
            return Json.mapper().readTree(Files.readAllBytes(SAMPLES.resolve(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ContractCase ingestCase(IngestRoute route, String what, Call call, Condition condition, int status,
            String error) {
        return new ContractCase(route.routeKey() + ", " + what, route.routeKey(), call, condition, status, error);
    }

    private static ContractCase adminCase(String what, Call call, int status, String error) {
        return new ContractCase(ADMIN + ", " + what, ADMIN, call, NORMAL, status, error);
    }

    /** A good request of a fresh learner (each call of this method: another learner). */
    private static Call good(IngestRoute route) {
        return post(route, body(route, event(route)));
    }

    private static Call post(IngestRoute route, byte[] body) {
        return new Call("POST", route.path(), Map.of("Content-Type", JSON), body,
                new Auth.Token(ContractStack.freshLearner(), List.of(), 0));
    }

    private static Call get(String pathAndQuery, Auth auth) {
        return new Call("GET", pathAndQuery, Map.of("Accept", JSON), new byte[0], auth);
    }

    private static Call withHeader(Call call, String name, String value, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>(call.headers());
        headers.put(name, value);
        return new Call(call.method(), call.pathAndQuery(), headers, body == null ? call.body() : body, call.auth());
    }

    private static Auth admin(String org) {
        return new Auth.Token("admin-1", List.of(org), 0);
    }

    private static String rollups(String org, String from, String to) {
        return "/api/admin/orgs/" + org + "/rollups?from=" + from + "&to=" + to;
    }

    private static String today() {
        return LocalDate.now(ZoneOffset.UTC).toString();
    }

    private static byte[] body(IngestRoute route, Map<String, Object> event) {
        return json(route.batch() ? Map.of("events", List.of(event)) : event);
    }

    /** A valid event of the route's kind for course-101 (assigned in org-1), dated now. */
    private static Map<String, Object> event(IngestRoute route) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", "contract-" + UUID.randomUUID());
        if (route.progress()) {
            event.put("type", "lesson_progress");
            event.put("courseId", "course-101");
            event.put("lessonId", "course-101-lesson-01");
            event.put("progressPercent", 40);
            event.put("timeSpentSeconds", 30);
        } else {
            event.put("name", "video_played");
            event.put("courseId", "course-101");
            event.put("properties", Map.of("positionSeconds", 12));
        }
        event.put("occurredAt", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        return event;
    }

    private static byte[] json(Object value) {
        try {
            return Json.mapper().writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
