package dev.huddle.ingest;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.huddle.common.ClassPreloader;
import dev.huddle.common.Json;
import dev.huddle.common.http.ApiGatewayAdapter;
import dev.huddle.common.observability.LatencyEwma;
import dev.huddle.dbapi.DailyQuotaCharge;
import dev.huddle.ratelimit.RateLimitDecision;
import dev.huddle.rollup.RollupJobs;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * Warms the ingest hot path before the SnapStart snapshot, so the first request after a restore does
 * not pay for class loading and cold Jackson serialisers: one sample batch runs through the real
 * adapter and service, as the handler runs them (routing, header checks, JSON parsing, validation, the response and the log
 * line) with an always-allowing limiter and a store that accepts without a database, and the SDK
 * request models of the rate limiter and the rollup queue are built. Nothing leaves the process: no
 * database, DynamoDB or SQS call, since connections opened now would be dead after restore.
 * https://docs.aws.amazon.com/lambda/latest/dg/snapstart-runtime-hooks.html
 *
 * <p>What the sample batch cannot reach offline, the first real request would still load: the SDK's request
 * pipeline (marshalling, SigV4 signing, the HTTP client, response parsing), the JDBC driver's login and statement
 * code, the rollup queue's send. {@link #CLASS_LIST} names every class of the ingest jar that one cold start loads
 * (constructor and first request, docs/PERFORMANCE.md "Cold start of the ingest handler and the jar"), and the
 * priming loads and initialises them all, as Powertools primes its modules.
 */
final class IngestPriming implements Resource {
    static final String SAMPLE_USER = "snapstart-priming";
    /**
     * Next to this class; written by {@code local-stack.jar coldstart --class-list
     * functions/src/main/resources/dev/huddle/ingest/priming-classes.txt} after a dependency upgrade.
     */
    static final String CLASS_LIST = "priming-classes.txt";

    private final IngestConfig config;

    IngestPriming(IngestConfig config) {
        this.config = config;
    }

    /** Registers the priming for the snapshot; the caller keeps the returned object (CRaC holds it weakly). */
    static IngestPriming registerFor(IngestConfig config) {
        IngestPriming priming = new IngestPriming(config);
        Core.getGlobalContext().register(priming);
        return priming;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
        preloadClasses();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing here: ColdStartWarmUp.afterRestore opens the connections again.
    }

    /** Runs the sample batch; returns the response (tests check that priming really took the hot path). */
    APIGatewayV2HTTPResponse prime() {
        APIGatewayV2HTTPResponse response = runSampleBatch();
        buildSdkRequests();
        return response;
    }

    /**
     * The sample batch alone, building no AWS SDK client or request: what {@link ColdStartWarmUp} runs while
     * another thread builds the SDK clients.
     */
    APIGatewayV2HTTPResponse runSampleBatch() {
        Clock clock = Clock.systemUTC();
        IngestService offline = new IngestService(config, user -> RateLimitDecision.allow(), new AcceptingStore(),
                RollupJobs.none(), clock, new LatencyEwma(), line -> { });
        // The handler's own two steps around the service: adapt the event, adapt the answer.
        return ApiGatewayAdapter.toResponse(offline.handle(ApiGatewayAdapter.toRequest(sampleRequest(clock.instant()))));
    }

    /** Loads and initialises the classes of {@link #CLASS_LIST}; returns how many loaded. */
    static int preloadClasses() {
        return ClassPreloader.preload(IngestPriming.class, CLASS_LIST);
    }

    private static APIGatewayV2HTTPEvent sampleRequest(Instant now) {
        ObjectNode body = Json.mapper().createObjectNode();
        ArrayNode events = body.putArray("events");
        for (int i = 0; i < 3; i++) {
            events.addObject()
                    .put("eventId", "priming-" + i)
                    .put("type", "lesson_progress")
                    .put("courseId", "priming-course")
                    .put("lessonId", "priming-lesson-" + i)
                    .put("progressPercent", 50.5)
                    .put("timeSpentSeconds", 30)
                    .put("occurredAt", now.minusSeconds(60).toString());
        }
        IngestRoute route = IngestRoute.PROGRESS_BATCH;
        return APIGatewayV2HTTPEvent.builder()
                .withRouteKey(route.routeKey())
                .withHeaders(Map.of("content-type", "application/json"))
                .withBody(body.toString())
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRequestId("snapstart-priming")
                        .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                                .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                                        .withClaims(Map.of("sub", SAMPLE_USER))
                                        .build())
                                .build())
                        .build())
                .build();
    }

    /** Loads the request model classes of the rate limiter and the rollup queue; sends nothing. */
    private void buildSdkRequests() {
        UpdateItemRequest.builder()
                .tableName(config.rateLimit().table())
                .key(Map.of("pk", AttributeValue.fromS(SAMPLE_USER)))
                .build();
        SendMessageRequest.builder()
                .queueUrl(config.rollupQueueUrl().orElse("https://sqs.invalid/priming.fifo"))
                .messageBody("{}")
                .build();
    }

    /** Accepts every event without a database: the response path is what priming is about. */
    private static final class AcceptingStore implements EventStore {
        @Override
        public StoreResult storeProgress(String userId, List<ProgressEvent> events, OptionalInt clientQueueDepth,
                DailyQuotaCharge quota) {
            return acceptAll(events.stream().map(ProgressEvent::eventId).toList());
        }

        @Override
        public StoreResult storeAnalytics(String userId, List<AnalyticsEvent> events, OptionalInt clientQueueDepth,
                DailyQuotaCharge quota) {
            return acceptAll(events.stream().map(AnalyticsEvent::eventId).toList());
        }

        private static StoreResult acceptAll(List<String> eventIds) {
            List<EventOutcome> outcomes = new ArrayList<>(eventIds.size());
            for (int i = 0; i < eventIds.size(); i++) {
                outcomes.add(EventOutcome.accepted(eventIds.get(i), i));
            }
            return new StoreResult(outcomes, Map.of());
        }
    }
}
