package dev.huddle.perf.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.huddle.common.Json;
import dev.huddle.local.gateway.ApiGatewayFront;
import dev.huddle.local.gateway.GatewaySettings;
import dev.huddle.local.gateway.LocalFunction;
import dev.huddle.local.gateway.RouteTable;
import dev.huddle.local.jwt.TestKeys;
import dev.huddle.local.jwt.TokenIssuer;
import dev.huddle.local.jwt.TokenVerifier;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The generator against a real front over HTTP: its in-flight cap, and the categories it keeps apart. */
class OpenModelDriverTest {
    private static final int LEARNERS = 5;
    private final TokenIssuer issuer = new TokenIssuer(TestKeys.KEY, TestKeys.SETTINGS);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private ApiGatewayFront front;

    @AfterEach
    void stop() {
        if (front != null) {
            front.close();
        }
    }

    private URI start(int environments, Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> answer) {
        RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler = (event, context) -> answer.apply(event);
        LocalFunction ingest = new LocalFunction("test-ingest", Duration.ofSeconds(60), environments, () -> handler);
        RouteTable.Builder routes = RouteTable.builder();
        for (LoadRoute route : LoadRoute.values()) {
            routes.jwt("POST", route.path, ingest);
        }
        front = ApiGatewayFront.start(new GatewaySettings("127.0.0.1", 0, 32, 1 << 20,
                GatewaySettings.DEFAULT_MAX_CONNECTIONS, Duration.ofSeconds(30)), routes.build(),
                new TokenVerifier(TestKeys.KEY, TestKeys.SETTINGS, Clock.systemUTC()), Clock.systemUTC());
        return URI.create(front.baseUrl());
    }

    private OpenModelDriver driver(URI baseUrl, int maxInFlight) {
        LoadTarget.TokenSigner signer = (user, ttl, now) -> issuer.issue(user, ttl, List.of(), now);
        return new OpenModelDriver(http, baseUrl, LearnerTokens.issue(signer, LEARNERS, Duration.ofHours(1)), maxInFlight,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    /** A 200 that accepts every event of the request. */
    private static APIGatewayV2HTTPResponse acceptAll(APIGatewayV2HTTPEvent event) {
        ObjectNode answer = Json.mapper().createObjectNode();
        var accepted = answer.putArray("accepted");
        BatchBodies.eventIds(event.getBody().getBytes(StandardCharsets.UTF_8)).forEach(accepted::add);
        answer.putArray("duplicates");
        answer.putArray("rejected");
        return APIGatewayV2HTTPResponse.builder().withStatusCode(200).withBody(answer.toString()).build();
    }

    @Test
    void neverHasMoreThanItsCapInFlight_andCountsThePlannedRequestsItCouldNotSendAsDropped() throws Exception {
        int cap = 3;
        LoadPlan plan = LoadPlan.build(LEARNERS, 100, Duration.ofMillis(500), 2, "cap-", 1);
        long planEnd = System.nanoTime() + Duration.ofMillis(600).toNanos() + OpenModelDriver.LATE_LIMIT.toNanos();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostRunning = new AtomicInteger();
        CountDownLatch capReached = new CountDownLatch(cap);
        URI url = start(16, event -> {
            mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            capReached.countDown();
            try {
                // Hold every slot until every planned request was sent or dropped (past its time + the late limit).
                capReached.await(60, TimeUnit.SECONDS);
                while (System.nanoTime() < planEnd) {
                    TimeUnit.MILLISECONDS.sleep(10);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.decrementAndGet();
            return acceptAll(event);
        });

        LatencyRecorder.Summary summary = driver(url, cap).run(plan, List.of(), Duration.ofSeconds(60));

        assertThat(mostRunning).hasValue(cap);
        assertThat(summary.admitted().getTotalCount()).isEqualTo(cap);
        assertThat(summary.counts().droppedRequests).isEqualTo(plan.requests().size() - cap);
        assertThat(summary.counts().droppedEvents).isEqualTo(plan.events() - summary.accepted());
        assertThat(summary.counts().notDeliveredRequests).isZero();
        assertThat(summary.counts().retriedAndDelivered).isZero();
    }

    @Test
    void keepsShedAnswersApart_andRetriesThemUntilDelivered() throws Exception {
        LoadPlan plan = LoadPlan.build(LEARNERS, 20, Duration.ofMillis(500), 2, "shed-", 2);
        Set<String> refusedOnce = ConcurrentHashMap.newKeySet();
        URI url = start(4, event -> {
            // The first attempt of every request is refused; its retry carries the same body.
            if (refusedOnce.add(event.getBody())) {
                return APIGatewayV2HTTPResponse.builder().withStatusCode(503).withHeaders(Map.of("Retry-After", "0"))
                        .withBody("{\"error\":\"service_unavailable\",\"message\":\"overloaded\"}").build();
            }
            return acceptAll(event);
        });

        LatencyRecorder.Summary summary = driver(url, 64).run(plan, List.of(), Duration.ofSeconds(60));

        int requests = plan.requests().size();
        assertThat(summary.shed().getTotalCount()).isEqualTo(requests);
        assertThat(summary.admitted().getTotalCount()).isEqualTo(requests);
        assertThat(summary.counts().retriedAndDelivered).isEqualTo(requests);
        assertThat(summary.accepted()).isEqualTo(plan.events());
        assertThat(summary.statuses()).containsEntry("503", (long) requests).containsEntry("200", (long) requests);
        assertThat(summary.counts().droppedRequests).isZero();
        assertThat(summary.counts().notDeliveredRequests).isZero();
    }

    @Test
    void aLearnersFlushJoinsItsWaitingRetry_upToOneBatch() throws Exception {
        // One learner flushing every 0.5 s for 2 s, 40 events a request: two of them fill a batch of 100 at most.
        LoadPlan plan = LoadPlan.build(1, 4, Duration.ofSeconds(2), 40, "join-", 3);
        Set<String> refusedRoute = ConcurrentHashMap.newKeySet();
        AtomicInteger mostEvents = new AtomicInteger();
        URI url = start(4, event -> {
            // The learner's first request on each route is shed and told to come back after the plan's end.
            if (refusedRoute.add(event.getRawPath())) {
                return APIGatewayV2HTTPResponse.builder().withStatusCode(503).withHeaders(Map.of("Retry-After", "3"))
                        .withBody("{\"error\":\"service_unavailable\",\"message\":\"overloaded\"}").build();
            }
            mostEvents.accumulateAndGet(BatchBodies.eventIds(event.getBody().getBytes(StandardCharsets.UTF_8))
                    .size(), Math::max);
            return acceptAll(event);
        });

        LatencyRecorder.Summary summary = driver(url, 64).run(plan, List.of(), Duration.ofSeconds(60));

        int routes = LoadRoute.values().length;
        assertThat(plan.requests()).hasSizeGreaterThanOrEqualTo(3 * routes);
        assertThat(summary.shed().getTotalCount()).isEqualTo(routes);
        // The second flush joins the waiting retry (80 events); the third would pass 100, so it is sent alone.
        assertThat(summary.counts().joinedRequests).isEqualTo(routes);
        assertThat(summary.counts().joinedEvents).isEqualTo(40L * routes);
        assertThat(mostEvents).hasValue(80);
        assertThat(summary.admitted().getTotalCount()).isEqualTo(plan.requests().size() - routes);
        assertThat(summary.accepted()).isEqualTo(plan.events());
        assertThat(summary.counts().retriedAndDelivered).isEqualTo(routes);
        assertThat(summary.counts().notDeliveredRequests).isZero();
    }

    @Test
    void plansRunBackToBack_andABatchCarryingEventsOfBoth_isCountedInEachPlansFigures() throws Exception {
        // One learner flushing every 0.5 s, two plans of a second each; 10 events a request.
        LoadPlan first = LoadPlan.build(1, 4, Duration.ofSeconds(1), 10, "first-", 4);
        LoadPlan second = LoadPlan.build(1, 4, Duration.ofSeconds(1), 10, "second-", 5);
        Set<String> refusedRoute = ConcurrentHashMap.newKeySet();
        Map<String, Integer> eventsSent = new ConcurrentHashMap<>();
        URI url = start(4, event -> {
            // The learner's first request on each route is shed and told to come back after both plans.
            if (refusedRoute.add(event.getRawPath())) {
                return APIGatewayV2HTTPResponse.builder().withStatusCode(503).withHeaders(Map.of("Retry-After", "3"))
                        .withBody("{\"error\":\"service_unavailable\",\"message\":\"overloaded\"}").build();
            }
            eventsSent.merge(event.getRawPath(),
                    BatchBodies.eventIds(event.getBody().getBytes(StandardCharsets.UTF_8)).size(), Integer::sum);
            return acceptAll(event);
        });

        List<LatencyRecorder.Summary> summaries = driver(url, 64).run(List.of(first, second), List.of(),
                Duration.ofSeconds(60));

        int routes = LoadRoute.values().length;
        LatencyRecorder.Summary before = summaries.get(0);
        LatencyRecorder.Summary after = summaries.get(1);
        assertThat(second.requests()).hasSizeGreaterThanOrEqualTo(routes);
        // Every later flush, of either plan, joined the waiting retry: one batch a route carried both plans.
        assertThat(before.counts().joinedRequests).isEqualTo(first.requests().size() - routes);
        assertThat(after.counts().joinedRequests).isEqualTo(second.requests().size());
        assertThat(eventsSent.values()).containsOnly((int) (first.events() + second.events()) / routes);
        // Each plan's events in its own figures, as the reconciliation by event id prefix counts them.
        assertThat(before.accepted()).isEqualTo(first.events());
        assertThat(after.accepted()).isEqualTo(second.events());
        assertThat(before.counts().retriedAndDelivered).isEqualTo(routes);
        assertThat(after.counts().retriedAndDelivered).isZero();
        // Attempts count where they were sent: the shed ones in the first plan, the retries after both.
        assertThat(before.shed().getTotalCount()).isEqualTo(routes);
        assertThat(before.admitted().getTotalCount()).isZero();
        assertThat(after.admitted().getTotalCount()).isEqualTo(routes);
        assertThat(after.retries()).isEqualTo(routes);
        assertThat(before.counts().notDeliveredRequests + after.counts().notDeliveredRequests).isZero();
    }
}
