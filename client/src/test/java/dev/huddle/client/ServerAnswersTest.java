package dev.huddle.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.huddle.client.ScriptedApiServer.Answer;
import dev.huddle.client.ScriptedApiServer.Request;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One test per row of the README's table "answer → what happens to the events": the real client against a
 * real HTTP server ({@link ScriptedApiServer}) that answers each way.
 */
class ServerAnswersTest {
    /** Generous: the verdicts are checked, not the speed (a loaded machine is slow). */
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String HTML_PAGE = "<html><body>Welcome! Please sign in to the Wi-Fi.</body></html>";
    private static final Duration PAUSE = Duration.ofSeconds(1);

    @TempDir
    Path directory;

    private final List<RejectedEvent> rejected = new CopyOnWriteArrayList<>();
    private final List<DeliveryError> errors = new CopyOnWriteArrayList<>();
    private ScriptedApiServer server;
    private HuddleClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close(Duration.ZERO);
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aContractAnswerForEveryEvent_removesThem_andReportsTheRejected() throws Exception {
        List<String> ids = start(request -> Answer.json(200, "{\"accepted\":" + ScriptedApiServer.jsonArray(request.eventIds().subList(2,
                request.eventIds().size())) + ",\"duplicates\":[\"" + request.eventIds().get(1) + "\"],"
                + "\"rejected\":[{\"eventId\":\"" + request.eventIds().get(0) + "\",\"index\":0,"
                + "\"reason\":\"invalid_name\"}]}"), 4);

        client.flush().get(20, TimeUnit.SECONDS);

        assertThat(client.getQueueStats().totalDepth()).isZero();
        assertThat(server.eventIdsReceived()).as("one request, every event once").containsExactlyElementsOf(ids);
        await("onRejected called (on the flush thread)").atMost(DEADLINE).until(() -> !rejected.isEmpty());
        assertThat(rejected).containsExactly(new RejectedEvent(QueueName.ANALYTICS, ids.get(0), "invalid_name"));
        assertThat(errors).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "html", "empty object", "one event missing", "a foreign eventId", "rejected index out of range",
        "rejected eventId of another index", "an event listed twice"})
    void aTwoHundredWithoutAVerdictOnEveryEvent_keepsThem_untilOneComes(String body) throws Exception {
        List<String> ids = start(request -> notAVerdict(body, request.eventIds()), 3);

        await("two attempts reported").atMost(DEADLINE).until(() -> errors.size() >= 2);
        assertStalled(200,
                "HTTP 200 without a batch result for the 3 events sent (is baseUrl the huddle-ingest API?)", 3);
        assertThat(rejected).isEmpty();

        server.answerWith(ScriptedApiServer::acceptAll);
        assertDeliveredAfterwards(ids);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "400, invalid_json", "400, invalid_shape", "413, payload_too_large", "413, too_many_events",
        "415, unsupported_media_type", "415, unsupported_encoding"})
    void aContractRefusalOfTheBatch_removesEveryEvent_asRejected(int status, String code) throws Exception {
        List<String> ids = start(request -> Answer.json(status, "{\"error\":\"" + code + "\",\"message\":\"refused\"}"), 3);

        client.flush().get(20, TimeUnit.SECONDS);

        assertThat(client.getQueueStats().totalDepth()).isZero();
        await("onRejected called (on the flush thread)").atMost(DEADLINE).until(() -> rejected.size() == ids.size());
        assertThat(rejected).extracting(RejectedEvent::eventId).containsExactlyElementsOf(ids);
        assertThat(rejected).extracting(RejectedEvent::reason).containsOnly(code);
        assertThat(server.requests()).hasSize(1);
        assertThat(errors).isEmpty();
    }

    @ParameterizedTest(name = "{0} {2}")
    @CsvSource(delimiter = '|', value = {
        "400 | text/html        | <html>Bad Request</html>                                   | HTTP 400 without the API's error body",
        "413 | text/html        | <html><center>413 Request Entity Too Large</center></html> | HTTP 413 without the API's error body",
        "415 | application/json | {\"message\":\"Unsupported Media Type\"}                   | HTTP 415 without the API's error body",
        "400 | application/json | {\"error\":\"payload_too_large\",\"message\":\"m\"}        | HTTP 400 payload_too_large",
        "401 | application/json | {\"error\":\"unauthorized\",\"message\":\"expired\"}       | HTTP 401 unauthorized",
        "408 | text/plain       | timeout                                                    | HTTP 408 without the API's error body",
        "409 | text/plain       | conflict                                                   | HTTP 409 without the API's error body",
        "429 | application/json | {\"error\":\"rate_limited\",\"message\":\"slow down\"}     | HTTP 429 rate_limited",
        "500 | text/plain       | oops                                                       | HTTP 500 without the API's error body",
        "502 | text/html        | <html>Bad Gateway</html>                                   | HTTP 502 without the API's error body",
        "503 | application/json | {\"error\":\"service_unavailable\",\"message\":\"db\"}     | HTTP 503 service_unavailable",
        "302 | text/html        | <html>moved</html>                                         | HTTP 302 without the API's error body"})
    void anyOtherAnswer_keepsTheEvents_andReportsIt(int status, String contentType, String body, String description)
            throws Exception {
        List<String> ids = start(request -> new Answer(status, contentType, body), 3);

        await("two attempts reported").atMost(DEADLINE).until(() -> errors.size() >= 2);
        assertStalled(status, description, 3);
        assertThat(errors).noneMatch(DeliveryError::paused);

        server.answerWith(ScriptedApiServer::acceptAll);
        assertDeliveredAfterwards(ids);
    }

    @Test
    void noAnswer_keepsTheEvents_andReportsIt() throws Exception {
        List<String> ids = start(request -> new Answer(0, "", ""), 2);

        await("two attempts reported").atMost(DEADLINE).until(() -> errors.size() >= 2);
        assertThat(errors.get(0).description()).startsWith("no answer (");
        assertStalled(0, errors.get(0).description(), 2);

        server.answerWith(ScriptedApiServer::acceptAll);
        assertDeliveredAfterwards(ids);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {403, 404})
    void aPersistent403or404_pausesTheQueue_probesAfterThePause_andResumesOnAVerdict(int status) throws Exception {
        AtomicInteger answered = new AtomicInteger();
        // Four refusals: three pause the queue, the probe after the pause is refused too and pauses it again.
        List<String> ids = start(request -> answered.incrementAndGet() <= 4 ? new Answer(status, "text/html", "<html>Not here</html>")
                : ScriptedApiServer.acceptAll(request), 2);

        await("the queue delivered after two pauses").atMost(DEADLINE)
                .until(() -> client.getQueueStats().totalDepth() == 0);

        List<DeliveryError> pauses = errors.stream().filter(DeliveryError::paused).toList();
        assertThat(errors).hasSize(4);
        assertThat(errors.subList(0, 2)).noneMatch(DeliveryError::paused);
        assertThat(pauses).extracting(DeliveryError::consecutiveFailures).containsExactly(3, 4);
        assertThat(pauses).allSatisfy(pause -> assertThat(pause.pausedUntil()).isEqualTo(pause.at().plus(PAUSE)));
        List<Request> requests = server.requests();
        assertThat(requests).hasSize(5);
        assertThat(requests.get(3).receivedAt()).as("the first probe waits for the pause")
                .isAfterOrEqualTo(pauses.get(0).pausedUntil());
        assertThat(requests.get(4).receivedAt()).as("the second probe waits for the second pause")
                .isAfterOrEqualTo(pauses.get(1).pausedUntil());
        assertThat(requests).allSatisfy(request -> assertThat(request.eventIds()).containsExactlyElementsOf(ids));
        assertThat(rejected).isEmpty();
        QueueStats stats = client.getQueueStats();
        assertThat(stats.stalledSince()).isNull();
        assertThat(stats.pausedUntil()).isNull();
    }

    @Test
    void whilePaused_theStatsSaySoAndFlushSendsNothing() throws Exception {
        prefill(1);
        server = new ScriptedApiServer(request -> Answer.json(404, "{\"error\":\"not_found\",\"message\":\"no route\"}"));
        client = builder().pausePeriod(Duration.ofHours(1)).build();

        await("the queue paused").atMost(DEADLINE).until(() -> errors.stream().anyMatch(DeliveryError::paused));
        int sent = server.requests().size();
        client.flush().get(20, TimeUnit.SECONDS);

        QueueStats stats = client.getQueueStats();
        assertThat(stats.pausedUntil()).isAfter(Instant.now().plus(Duration.ofMinutes(59)));
        assertThat(stats.lastError().description()).isEqualTo("HTTP 404 not_found");
        assertThat(stats.lastError().toString()).contains("analytics queue: HTTP 404 not_found", "paused until");
        assertThat(stats.analyticsDepth()).isEqualTo(1);
        assertThat(server.requests()).as("no request while paused").hasSize(sent).hasSize(3);
    }

    /** Queues {@code count} events (before any request can be cut), then starts the server and the client. */
    private List<String> start(Function<Request, Answer> script, int count) throws Exception {
        List<String> ids = prefill(count);
        server = new ScriptedApiServer(script);
        client = builder().build();
        return ids;
    }

    /** Queues events with a client that sends nothing (it is closed at once); the next client sends them. */
    private List<String> prefill(int count) {
        HuddleClient filler = HuddleClient.builder(URI.create("http://127.0.0.1:9")).tokenSupplier(() -> "token")
                .queueDirectory(directory).fsyncEachEvent(false).minInterval(Duration.ofHours(1))
                .maxInterval(Duration.ofHours(1)).build();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(String.format("evt-%03d", i));
            assertThat(filler.trackAnalytics(new AnalyticsEvent(ids.get(i), "lesson_opened", null, null, null,
                    Instant.now()))).isTrue();
        }
        filler.close(Duration.ZERO);
        return ids;
    }

    private HuddleClient.Builder builder() {
        return HuddleClient.builder(server.baseUrl())
                .tokenSupplier(() -> "token")
                .queueDirectory(directory)
                .fsyncEachEvent(false)
                .minInterval(Duration.ofMillis(20))
                .maxInterval(Duration.ofMillis(100))
                .pausePeriod(PAUSE)
                .onRejected(rejected::addAll)
                .onError(errors::add);
    }

    private void assertStalled(int status, String description, int depth) {
        QueueStats stats = client.getQueueStats();
        assertThat(stats.analyticsDepth()).as("events kept").isEqualTo(depth);
        assertThat(stats.stalledSince()).isNotNull();
        assertThat(stats.lastError().status()).isEqualTo(status);
        assertThat(stats.lastError().description()).isEqualTo(description);
        assertThat(errors).extracting(DeliveryError::consecutiveFailures).startsWith(1, 2);
        assertThat(errors).extracting(DeliveryError::stalledSince).containsOnly(errors.get(0).stalledSince());
    }

    /** Once the server gives a verdict, the same events arrive and leave the queue; the stall ends. */
    private void assertDeliveredAfterwards(List<String> ids) {
        await("the queue delivered").atMost(DEADLINE).until(() -> client.getQueueStats().totalDepth() == 0);
        List<Request> requests = server.requests();
        assertThat(requests).allSatisfy(request -> assertThat(request.eventIds()).containsExactlyElementsOf(ids));
        assertThat(client.getQueueStats().stalledSince()).isNull();
        assertThat(rejected).isEmpty();
    }

    private static Answer notAVerdict(String kind, List<String> ids) {
        String all = ScriptedApiServer.jsonArray(ids);
        String allButLast = ScriptedApiServer.jsonArray(ids.subList(0, ids.size() - 1));
        return switch (kind) {
            case "html" -> new Answer(200, "text/html", HTML_PAGE);
            case "empty object" -> Answer.json(200, "{}");
            case "one event missing" -> Answer.json(200, "{\"accepted\":" + allButLast
                    + ",\"duplicates\":[],\"rejected\":[]}");
            case "a foreign eventId" -> Answer.json(200, "{\"accepted\":" + allButLast
                    + ",\"duplicates\":[\"someone-elses\"],\"rejected\":[]}");
            case "rejected index out of range" -> Answer.json(200, "{\"accepted\":" + allButLast
                    + ",\"duplicates\":[],\"rejected\":[{\"index\":" + ids.size() + ",\"reason\":\"invalid_name\"}]}");
            case "rejected eventId of another index" -> Answer.json(200, "{\"accepted\":" + allButLast
                    + ",\"duplicates\":[],\"rejected\":[{\"eventId\":\"" + ids.get(0) + "\",\"index\":"
                    + (ids.size() - 1) + ",\"reason\":\"invalid_name\"}]}");
            case "an event listed twice" -> Answer.json(200, "{\"accepted\":" + all + ",\"duplicates\":[\""
                    + ids.get(0) + "\"],\"rejected\":[]}");
            default -> throw new IllegalArgumentException(kind);
        };
    }
}
