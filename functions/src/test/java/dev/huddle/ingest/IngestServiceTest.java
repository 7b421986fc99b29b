package dev.huddle.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.huddle.common.DependencyUnavailableException;
import dev.huddle.common.Json;
import dev.huddle.common.http.HttpRequest;
import dev.huddle.common.http.HttpResponse;
import dev.huddle.common.observability.LatencyEwma;
import dev.huddle.dbapi.DailyQuotaCharge;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IngestServiceTest {
    private static final IngestConfig CONFIG = IngestConfig.from(Map.of("MAX_EVENTS_PER_BATCH", "3", "MAX_BODY_BYTES", "2000",
            "RETRY_AFTER_SECONDS", "7", "DB_LATENCY_SLO_MS", "500"));

    private final RecordingEventStore store = new RecordingEventStore();
    private final FakeRateLimiter limiter = new FakeRateLimiter();
    private final LatencyEwma latency = new LatencyEwma();
    private final List<String> logLines = new ArrayList<>();
    private final IngestService service =
            new IngestService(CONFIG, limiter, store, ProgressEventValidatorTest.CLOCK, latency, logLines::add);

    static String progress(String eventId) {
        return """
                {"eventId":"%s","type":"lesson_progress","courseId":"course-101","lessonId":"course-101-lesson-01",
                 "progressPercent":50,"timeSpentSeconds":30,"occurredAt":"2026-11-28T11:00:00Z"}""".formatted(eventId);
    }

    static String batch(String... events) {
        return "{\"events\":[" + String.join(",", events) + "]}";
    }

    private HttpResponse send(IngestRoute route, HttpRequest request) {
        return service.handle(route, request);
    }

    private HttpResponse sendBatch(String body) {
        return send(IngestRoute.PROGRESS_BATCH, TestRequests.post(body).build());
    }

    private static JsonNode body(HttpResponse response) throws Exception {
        return Json.mapper().readTree(response.body());
    }

    @Test
    void answers200_withEveryEventInExactlyOneList_mappedToRequestIndexes() throws Exception {
        store.verdict("evt-dup-01", "duplicate").verdict("evt-noassign", "no_assignment");
        IngestService roomy = new IngestService(IngestConfig.from(Map.of()), limiter, store,
                ProgressEventValidatorTest.CLOCK, latency, logLines::add);

        HttpResponse response = roomy.handle(IngestRoute.PROGRESS_BATCH, TestRequests.post(batch(progress("evt-ok-0001"),
                "{\"eventId\":\"bad\"}", progress("evt-dup-01"), "[1,2]", progress("evt-noassign"))).build());

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualToIgnoringWhitespace("""
                {"accepted":["evt-ok-0001"],"duplicates":["evt-dup-01"],"rejected":[
                 {"eventId":null,"index":1,"reason":"invalid_eventId"},
                 {"eventId":null,"index":3,"reason":"not_an_object"},
                 {"eventId":"evt-noassign","index":4,"reason":"no_assignment"}]}""");
        assertThat(store.calls).hasSize(1);
        assertThat(store.calls.getFirst().userId()).isEqualTo(TestRequests.USER);
        assertThat(store.calls.getFirst().events()).extracting(e -> ((ProgressEvent) e).eventId())
                .containsExactly("evt-ok-0001", "evt-dup-01", "evt-noassign");
    }

    @Test
    void doesNotCallTheStore_whenNoEventIsValid() throws Exception {
        HttpResponse response = sendBatch(batch("{}", "42"));
        assertThat(response.status()).isEqualTo(200);
        assertThat(body(response).get("rejected")).hasSize(2);
        assertThat(store.calls).isEmpty();
    }

    @Test
    void answers200WithEmptyLists_whenEventsIsEmpty() throws Exception {
        HttpResponse response = sendBatch("{\"events\":[]}");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"accepted\":[],\"duplicates\":[],\"rejected\":[]}");
        assertThat(store.calls).isEmpty();
    }

    @Test
    void treatsSingleLessonRouteAsOneElementBatch() throws Exception {
        HttpResponse response = send(IngestRoute.PROGRESS_LESSON, TestRequests.post(progress("evt-single-1")).build());
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"accepted\":[\"evt-single-1\"],\"duplicates\":[],\"rejected\":[]}");
        assertThat(store.calls).hasSize(1);
    }

    @Test
    void storesAnalytics_onAnalyticsRoutes() throws Exception {
        String event = "{\"eventId\":\"ana-00001\",\"name\":\"quiz_opened\",\"occurredAt\":\"2026-11-28T11:59:00Z\"}";
        HttpResponse batchResponse = send(IngestRoute.ANALYTICS_BATCH, TestRequests.post(batch(event)).build());
        HttpResponse singleResponse = send(IngestRoute.ANALYTICS_EVENT, TestRequests.post(event).build());
        assertThat(batchResponse.status()).isEqualTo(200);
        assertThat(singleResponse.body()).isEqualTo(batchResponse.body());
        assertThat(store.calls).hasSize(2).allSatisfy(c -> assertThat(c.events().getFirst()).isInstanceOf(AnalyticsEvent.class));
    }

    @Test
    void answers400InvalidJson_whenBodyIsNotJson() throws Exception {
        HttpResponse response = sendBatch("{\"events\": [");
        assertError(response, 400, "invalid_json");
        assertThat(store.calls).isEmpty();
    }

    @Test
    void answers400InvalidShape_whenEventsIsMissingOrNotAnArray() throws Exception {
        assertError(sendBatch("{\"event\":[]}"), 400, "invalid_shape");
        assertError(sendBatch("{\"events\":{}}"), 400, "invalid_shape");
        assertError(sendBatch("[]"), 400, "invalid_shape");
        assertError(send(IngestRoute.PROGRESS_LESSON, TestRequests.post("[" + progress("evt-single-1") + "]").build()),
                400, "invalid_shape");
        assertThat(store.calls).isEmpty();
    }

    @Test
    void answers401_whenTheTokenHasNoSubject() throws Exception {
        HttpResponse response = send(IngestRoute.PROGRESS_BATCH, TestRequests.post(batch(progress("evt-ok-0001")))
                .noClaims().header("content-type", "text/plain").build());
        assertError(response, 401, "unauthorized");
        assertThat(limiter.users).isEmpty();
        assertThat(store.calls).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {257, 2_049, 100_000})
    void answers401BeforeAskingTheRateLimiter_whenTheSubjectIsTooLongForAKey(int length) throws Exception {
        HttpResponse response = send(IngestRoute.PROGRESS_BATCH, TestRequests.post(batch(progress("evt-ok-0001")))
                .subject("s".repeat(length)).build());
        assertError(response, 401, "unauthorized");
        assertThat(limiter.users).isEmpty();
        assertThat(store.calls).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"learner 0001", "learner\u00010001", "learner\t", "lеarner-0001", " ", "ü"})
    void answers401BeforeAskingTheRateLimiter_whenTheSubjectHasCharactersNoIdHas(String sub) throws Exception {
        HttpResponse response = send(IngestRoute.PROGRESS_BATCH, TestRequests.post(batch(progress("evt-ok-0001")))
                .subject(sub).build());
        assertError(response, 401, "unauthorized");
        assertThat(limiter.users).isEmpty();
    }

    @Test
    void acceptsASubjectOfTheLongestAllowedLength() {
        String sub = "auth0|" + "a".repeat(250);
        HttpResponse response = send(IngestRoute.PROGRESS_BATCH, TestRequests.post(batch(progress("evt-ok-0001")))
                .subject(sub).build());
        assertThat(response.status()).isEqualTo(200);
        assertThat(limiter.users).containsExactly(sub);
    }

    @Test
    void answers403_whenAnyUserIdDiffersFromSubject() throws Exception {
        String spoofed = progress("evt-ok-0002").replace("{", "{\"userId\":\"learner-0002\",");
        assertError(sendBatch(batch(progress("evt-ok-0001"), spoofed)), 403, "forbidden_user_mismatch");
        assertError(sendBatch("{\"userId\":\"learner-0002\",\"events\":[]}"), 403, "forbidden_user_mismatch");
        assertError(sendBatch(batch(progress("evt-ok-0001").replace("{", "{\"userId\":1,"))), 403,
                "forbidden_user_mismatch");
        assertError(sendBatch(batch(progress("evt-ok-0001").replace("{", "{\"userId\":null,"))), 403,
                "forbidden_user_mismatch");
        assertThat(store.calls).isEmpty();
    }

    @Test
    void accepts_whenUserIdEqualsSubject() {
        String own = progress("evt-ok-0001").replace("{", "{\"userId\":\"" + TestRequests.USER + "\",");
        assertThat(sendBatch(batch(own)).status()).isEqualTo(200);
    }

    @Test
    void answers413PayloadTooLarge_whenBodyIsOverTheByteLimit() throws Exception {
        String padded = "{\"events\":[],\"padding\":\"" + "x".repeat(2000) + "\"}";
        assertError(sendBatch(padded), 413, "payload_too_large");
        assertThat(store.calls).isEmpty();
    }

    @Test
    void answers413PayloadTooLarge_whenGzipInflatesOverTheLimit() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(("{\"events\":[],\"padding\":\"" + " ".repeat(5000) + "\"}").getBytes(StandardCharsets.UTF_8));
        }
        HttpRequest request = TestRequests.post(Base64.getEncoder().encodeToString(out.toByteArray()))
                .base64().header("Content-Encoding", "gzip").build();
        assertError(send(IngestRoute.PROGRESS_BATCH, request), 413, "payload_too_large");
    }

    @Test
    void chargesTheDailyQuotaInTheStoreCall_withTheEventsSentAndTheDecodedBytes() {
        String body = batch(progress("evt-ok-0001"), progress("evt-ok-0002"), "{\"eventId\":\"evt-bad\"}");
        assertThat(sendBatch(body).status()).isEqualTo(200);
        assertThat(store.calls).singleElement().extracting(RecordingEventStore.Call::quota)
                .isEqualTo(new DailyQuotaCharge(3, body.length(), 50_000, 50L * 1024 * 1024));
    }

    @Test
    void chargesNoQuota_whenItIsTurnedOff() {
        IngestService unlimited = new IngestService(IngestConfig.from(Map.of("DAILY_QUOTA_EVENTS", "0")), limiter,
                store, ProgressEventValidatorTest.CLOCK, latency, logLines::add);
        assertThat(unlimited.handle(IngestRoute.PROGRESS_BATCH, TestRequests.post(batch(progress("evt-ok-0001")))
                .build()).status()).isEqualTo(200);
        assertThat(store.calls).singleElement().extracting(RecordingEventStore.Call::quota).isNull();
    }

    @Test
    void answers429DailyQuotaExceeded_withRetryAfterUntilTheUtcDayEnds_whenTheStoreRefusesTheCharge() throws Exception {
        store.quotaUsedUp();
        HttpResponse response = sendBatch(batch(progress("evt-ok-0001")));
        assertError(response, 429, "daily_quota_exceeded");
        Instant now = ProgressEventValidatorTest.CLOCK.instant();
        long untilMidnight = Duration.between(now, now.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1))).toSeconds();
        assertThat(response.headers()).containsEntry("Retry-After", Long.toString(untilMidnight + 1));
        assertThat(logLines).singleElement().asString().contains("daily_quota_exceeded");
    }

    @Test
    void answers413TooManyEvents_whenBatchExceedsTheEventLimit() throws Exception {
        String four = batch(progress("evt-ok-0001"), progress("evt-ok-0002"), progress("evt-ok-0003"), progress("evt-ok-0004"));
        assertError(sendBatch(four), 413, "too_many_events");
        assertThat(store.calls).isEmpty();
    }

    @Test
    void answers415_whenContentTypeIsNotJson() throws Exception {
        HttpResponse response = send(IngestRoute.PROGRESS_BATCH,
                TestRequests.post(batch()).header("Content-Type", "text/plain").build());
        assertError(response, 415, "unsupported_media_type");
        assertThat(limiter.users).as("415 comes before the rate limiter").isEmpty();
    }

    @Test
    void answers415_whenContentEncodingIsUnsupported() throws Exception {
        HttpResponse response = send(IngestRoute.PROGRESS_BATCH,
                TestRequests.post(batch()).header("Content-Encoding", "br").build());
        assertError(response, 415, "unsupported_encoding");
    }

    @Test
    void answers429WithRetryAfter_beforeLookingAtTheBody() throws Exception {
        limiter.refuse(3);
        HttpResponse response = sendBatch("x".repeat(5000));
        assertError(response, 429, "rate_limited");
        assertThat(response.headers()).containsEntry("Retry-After", "3");
        assertThat(limiter.users).containsExactly(TestRequests.USER);
        assertThat(store.calls).isEmpty();
    }

    @Test
    void answers503WithRetryAfter_whenTheStoreIsUnavailable() throws Exception {
        store.failWith(new DependencyUnavailableException("postgresql", "SQLState 57014", null));
        HttpResponse response = sendBatch(batch(progress("evt-ok-0001")));
        assertError(response, 503, "service_unavailable");
        assertThat(response.headers()).containsEntry("Retry-After", "7");
        assertThat(response.body()).doesNotContain("57014").doesNotContain("postgresql");
        JsonNode line = Json.mapper().readTree(logLines.getFirst());
        assertThat(line.get("failure").asText()).isEqualTo("unavailable:postgresql");
        assertThat(line.has("dbMs")).as("the wait for the database is logged").isTrue();
    }

    @Test
    void answers503WithRetryAfter_whenTheRateLimiterIsUnavailable() throws Exception {
        limiter.failWith(new DependencyUnavailableException("dynamodb", "timeout", null));
        HttpResponse response = sendBatch(batch(progress("evt-ok-0001")));
        assertError(response, 503, "service_unavailable");
        assertThat(response.headers()).containsEntry("Retry-After", "7");
        assertThat(store.calls).isEmpty();
    }

    @Test
    void answers500WithoutDetails_whenTheStoreFailsWithABug() throws Exception {
        store.failWith(new EventStoreException("42883", new RuntimeException("function does not exist: secret")));
        HttpResponse response = sendBatch(batch(progress("evt-ok-0001")));
        assertError(response, 500, "internal_error");
        assertThat(response.body()).doesNotContain("42883").doesNotContain("secret");
        assertThat(logLines).singleElement().asString().contains("sqlstate:42883");
    }

    @Test
    void answers500_andLogsWhereTheBugThrew_withoutItsMessage() throws Exception {
        store.failWith(new IllegalStateException("learner evt-secret-0001", new NullPointerException()));
        HttpResponse response = sendBatch(batch(progress("evt-ok-0001")));
        assertError(response, 500, "internal_error");
        String failure = Json.mapper().readTree(logLines.getFirst()).get("failure").asText();
        assertThat(failure).startsWith("java.lang.IllegalStateException at ")
                .contains(getClass().getName())
                .endsWith(" caused by java.lang.NullPointerException")
                .doesNotContain("evt-secret");
    }

    @Test
    void passesParsedClientQueueDepthToTheStore_andIgnoresGarbage() {
        send(IngestRoute.PROGRESS_BATCH, TestRequests.post(batch(progress("evt-ok-0001")))
                .header("X-Client-Queue-Depth", "42").build());
        send(IngestRoute.PROGRESS_BATCH, TestRequests.post(batch(progress("evt-ok-0001")))
                .header("X-Client-Queue-Depth", "-5").build());
        send(IngestRoute.PROGRESS_BATCH, TestRequests.post(batch(progress("evt-ok-0001")))
                .header("X-Client-Queue-Depth", "many").build());
        assertThat(store.calls).extracting(RecordingEventStore.Call::clientQueueDepth)
                .containsExactly(OptionalInt.of(42), OptionalInt.empty(), OptionalInt.empty());
    }

    @Test
    void addsQueueLagHeader_whenStoreLatencyAverageIsAboveTheSlo() {
        HttpResponse fast = sendBatch(batch(progress("evt-ok-0001")));
        assertThat(fast.headers()).doesNotContainKey("X-Client-Queue-Lag");

        for (int i = 0; i < 50; i++) {
            latency.record(1_500);
        }
        HttpResponse slow = sendBatch(batch(progress("evt-ok-0002")));
        assertThat(slow.status()).isEqualTo(200);
        // The EWMA is ~1,200-1,500 ms after the fast sample of this call: lag = excess over the 500 ms SLO.
        assertThat(Long.parseLong(slow.headers().get("X-Client-Queue-Lag"))).isBetween(700L, 1_000L);
    }

    @Test
    void recordsStoreLatencyInTheAverage() {
        assertThat(latency.averageMillis()).isEmpty();
        sendBatch(batch(progress("evt-ok-0001")));
        assertThat(latency.averageMillis()).isPresent();
    }

    @Test
    void writesOneLogLinePerRequest_withCountsAndWithoutEventContents() throws Exception {
        store.verdict("evt-dup-01", "duplicate");
        send(IngestRoute.PROGRESS_BATCH, TestRequests.post(batch(progress("evt-ok-0001"), progress("evt-dup-01"), "{}"))
                .header("X-Client-Queue-Depth", "12").build());

        assertThat(logLines).hasSize(1);
        JsonNode line = Json.mapper().readTree(logLines.getFirst());
        assertThat(line.get("Route").asText()).isEqualTo("POST /api/client/progress/batch");
        assertThat(line.get("status").asInt()).isEqualTo(200);
        assertThat(line.get("accepted").asInt()).isEqualTo(1);
        assertThat(line.get("duplicates").asInt()).isEqualTo(1);
        assertThat(line.get("rejected").asInt()).isEqualTo(1);
        assertThat(line.get("clientQueueDepth").asInt()).isEqualTo(12);
        assertThat(line.get("requestId").asText()).isEqualTo("req-test");
        assertThat(line.has("dbMs")).isTrue();
        assertThat(line.has("durationMs")).isTrue();
        assertThat(logLines.getFirst()).doesNotContain("evt-ok-0001").doesNotContain("course-101")
                .doesNotContain(TestRequests.USER);
    }

    private static void assertError(HttpResponse response, int status, String error) throws Exception {
        assertThat(response.status()).as("status of %s", response.body()).isEqualTo(status);
        JsonNode body = body(response);
        assertThat(body.get("error").asText()).isEqualTo(error);
        assertThat(body.get("message").asText()).isNotBlank();
        assertThat(body.size()).isEqualTo(2);
    }

    @Test
    void requestsARollupOfTheOrgsWhoseBucketTheStoreCallClaimed_afterIt() {
        List<Map<String, Long>> requested = new ArrayList<>();
        IngestService fanningOut = new IngestService(CONFIG, limiter, store.orgOfAccepted("org-2"),
                claims -> requested.add(Map.copyOf(claims)), ProgressEventValidatorTest.CLOCK, latency, logLines::add);

        HttpResponse response = fanningOut.handle(IngestRoute.PROGRESS_BATCH,
                TestRequests.post(batch(progress("evt-fan-0001"), progress("evt-fan-0002"))).build());

        assertThat(response.status()).isEqualTo(200);
        assertThat(requested).containsExactly(Map.of("org-2", RecordingEventStore.CLAIMED_BUCKET));
    }

    @Test
    void doesNotRequestARollup_whenNothingWasAccepted() {
        List<Map<String, Long>> requested = new ArrayList<>();
        IngestService fanningOut = new IngestService(CONFIG, limiter, store.verdict("evt-dup-0001", "duplicate"),
                claims -> requested.add(Map.copyOf(claims)), ProgressEventValidatorTest.CLOCK, latency, logLines::add);

        fanningOut.handle(IngestRoute.PROGRESS_BATCH, TestRequests.post(batch(progress("evt-dup-0001"))).build());

        assertThat(requested).isEmpty();
    }

    @Test
    void answers200_whenTheRollupRequestFails_becauseTheEventsAreStored() throws Exception {
        IngestService fanningOut = new IngestService(CONFIG, limiter, store, orgs -> {
            throw new IllegalStateException("queue bug");
        }, ProgressEventValidatorTest.CLOCK, latency, logLines::add);

        HttpResponse response = fanningOut.handle(IngestRoute.PROGRESS_BATCH,
                TestRequests.post(batch(progress("evt-fan-0003"))).build());

        assertThat(response.status()).isEqualTo(200);
        assertThat(body(response).path("accepted").get(0).asText()).isEqualTo("evt-fan-0003");
    }

    @Test
    void measuresItsOwnCost_theWaitsAtLeastAsLongAsTheSlowFakes_andCpuWithoutThem() throws Exception {
        Duration dbDelay = Duration.ofMillis(200);
        Duration fanOutDelay = Duration.ofMillis(100);
        IngestService timed = new IngestService(IngestConfig.from(Map.of("SERVER_TIMING", "true")), limiter,
                store.delay(dbDelay), orgs -> SlowCalls.take(fanOutDelay), ProgressEventValidatorTest.CLOCK, latency,
                logLines::add);

        HttpResponse response = timed.handle(IngestRoute.PROGRESS_BATCH,
                TestRequests.post(batch(progress("evt-cost-0001"), progress("evt-cost-0002"))).build());

        assertThat(response.status()).isEqualTo(200);
        JsonNode line = Json.mapper().readTree(logLines.getFirst());
        long total = line.get("handlerMicros").asLong();
        long db = line.get("dbMicros").asLong();
        long fanOut = line.get("fanOutMicros").asLong();
        assertThat(db).as("dbMicros").isGreaterThanOrEqualTo(dbDelay.toNanos() / 1_000);
        assertThat(fanOut).as("fanOutMicros").isGreaterThanOrEqualTo(fanOutDelay.toNanos() / 1_000);
        assertThat(total).as("handlerMicros").isGreaterThanOrEqualTo(db + fanOut);
        assertThat(line.get("rateLimitMicros").asLong()).isNotNegative();
        assertThat(line.get("parseMicros").asLong()).isNotNegative();
        assertThat(line.get("validateMicros").asLong()).isNotNegative();
        assertThat(line.get("respondMicros").asLong()).isNotNegative();
        // The thread slept through both waits: CPU time is the rest at most (a few ms of slack for the clocks).
        assertThat(line.get("handlerCpuMicros").asLong()).as("handlerCpuMicros").isPositive()
                .isLessThanOrEqualTo(total - db - fanOut + 5_000);
        Map<String, Double> timing = serverTiming(response);
        assertThat(timing).containsOnlyKeys("total", "cpu", "rateLimit", "parse", "validate", "db", "fanOut", "respond");
        assertThat(timing.get("db")).isEqualTo(db / 1_000.0);
        assertThat(timing.get("total")).isEqualTo(total / 1_000.0);
    }

    @Test
    void leavesOutThePhasesThatDidNotRun_whenTheRateLimiterRefuses() throws Exception {
        limiter.refuse(3);
        IngestService timed = new IngestService(IngestConfig.from(Map.of("SERVER_TIMING", "true")), limiter, store,
                ProgressEventValidatorTest.CLOCK, latency, logLines::add);

        HttpResponse response = timed.handle(IngestRoute.PROGRESS_BATCH, TestRequests.post(batch(progress("evt-1234567"))).build());

        assertThat(response.status()).isEqualTo(429);
        assertThat(serverTiming(response)).containsOnlyKeys("total", "cpu", "rateLimit", "respond");
        JsonNode line = Json.mapper().readTree(logLines.getFirst());
        assertThat(line.has("dbMicros")).isFalse();
        assertThat(line.has("dbMs")).isFalse();
        assertThat(line.has("rateLimitMicros")).isTrue();
    }

    @Test
    void sendsNoServerTimingHeader_unlessTheSettingIsOn() {
        HttpResponse response = sendBatch(batch(progress("evt-ok-0001")));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers()).doesNotContainKey("Server-Timing");
    }

    @Test
    void refusesAServerTimingSettingThatIsNeitherTrueNorFalse() {
        assertThatThrownBy(() -> IngestConfig.from(Map.of("SERVER_TIMING", "yes")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("SERVER_TIMING is not true or false: yes");
        assertThat(IngestConfig.from(Map.of("SERVER_TIMING", "TRUE")).serverTiming()).isTrue();
        assertThat(IngestConfig.from(Map.of()).serverTiming()).isFalse();
    }

    /** {@code name;dur=ms, ...} as a map of name to milliseconds. */
    private static Map<String, Double> serverTiming(HttpResponse response) {
        String header = response.headers().get("Server-Timing");
        assertThat(header).as("Server-Timing header").isNotNull();
        Map<String, Double> timing = new LinkedHashMap<>();
        for (String entry : header.split(",\\s*")) {
            String[] parts = entry.split(";dur=");
            timing.put(parts[0], Double.valueOf(parts[1]));
        }
        return timing;
    }
}
