package dev.huddle.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.huddle.common.DependencyUnavailableException;
import dev.huddle.common.Json;
import dev.huddle.common.JsonLimitException;
import dev.huddle.common.http.BodyDecoder;
import dev.huddle.common.http.ErrorCode;
import dev.huddle.common.http.HttpRequest;
import dev.huddle.common.http.HttpResponse;
import dev.huddle.common.http.JsonContentType;
import dev.huddle.common.http.RequestRejectedException;
import dev.huddle.common.http.Routes;
import dev.huddle.common.observability.LatencyEwma;
import dev.huddle.common.observability.LogSink;
import dev.huddle.dbapi.DailyQuotaCharge;
import dev.huddle.ratelimit.RateLimitDecision;
import dev.huddle.ratelimit.RateLimiter;
import dev.huddle.rollup.RollupJobs;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The ingest use case, free of Lambda types: checks a request in the contract's order (401, 415, 429,
 * 413 bytes, 400, 413 events, 403), validates each event, writes the valid ones with ONE event-store call (which
 * also charges the daily quota: 429 daily quota)
 * and answers which events were accepted, duplicates or rejected. Single-event routes are one-element
 * batches on the same path. After the write it asks for a rollup of every org that gained events
 * ({@link RollupJobs}: fire and forget, so a queue outage never fails a request whose events are stored).
 * Each request measures its own cost ({@link RequestStopwatch}) for its log line and, where
 * {@code SERVER_TIMING} is on, its {@code Server-Timing} header.
 *
 * <p>Over 300 lines: the contract's order of checks ({@code handle} and {@code process}) stays in one class on
 * purpose, so that the order openapi.yaml promises can be read, and reviewed, in one place.
 */
final class IngestService {
    /**
     * Duplicate keys are refused: parsers disagree on which value wins ({"userId":"me","userId":"you"}),
     * and the body must mean the same thing to every reader.
     */
    private static final ObjectReader BODY_READER = Json.mapper().reader()
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final IngestConfig config;
    private final RateLimiter rateLimiter;
    private final EventStore store;
    private final RollupJobs rollupJobs;
    private final LatencyEwma dbLatency;
    private final BodyDecoder bodyDecoder;
    private final ProgressEventValidator progressValidator;
    private final AnalyticsEventValidator analyticsValidator;
    private final QueueLagPolicy queueLag;
    private final IngestTelemetry telemetry;
    private final DailyQuota dailyQuota;

    /** Without rollup fan-out (tests and tools that only store events). */
    public IngestService(IngestConfig config, RateLimiter rateLimiter, EventStore store, Clock clock,
                         LatencyEwma dbLatency, LogSink logSink) {
        this(config, rateLimiter, store, RollupJobs.none(), clock, dbLatency, logSink);
    }

    public IngestService(IngestConfig config, RateLimiter rateLimiter, EventStore store, RollupJobs rollupJobs, Clock clock,
                         LatencyEwma dbLatency, LogSink logSink) {
        this.config = config;
        this.rateLimiter = rateLimiter;
        this.store = store;
        this.rollupJobs = rollupJobs;
        this.dbLatency = dbLatency;
        this.bodyDecoder = new BodyDecoder(config.maxBodyBytes());
        this.progressValidator = new ProgressEventValidator(config, clock);
        this.analyticsValidator = new AnalyticsEventValidator(config, clock);
        this.queueLag = new QueueLagPolicy(config.database().latencySlo());
        this.telemetry = new IngestTelemetry(logSink, clock);
        this.dailyQuota = DailyQuota.from(config.rateLimit(), clock);
    }

    /** A request as the API delivers it: 404 or 405 outside the four routes, else handled on its route. */
    public HttpResponse handle(HttpRequest request) {
        Optional<IngestRoute> route = IngestRoute.of(request);
        return Routes.refusal(request, route.isPresent(), IngestRoute.METHOD)
                .orElseGet(() -> handle(route.get(), request));
    }

    public HttpResponse handle(IngestRoute route, HttpRequest request) {
        RequestStopwatch stopwatch = RequestStopwatch.start();
        OptionalInt depth = ClientQueueDepth.from(request.headers());
        Outcome outcome;
        try {
            outcome = process(route, request, depth, stopwatch);
        } catch (RuntimeException e) {
            long failedAt = System.nanoTime();
            outcome = failed(e);
            stopwatch.lap(CostFigure.RESPOND, failedAt);
        }
        RequestCost cost = stopwatch.finish();
        telemetry.record(outcome.toRecord(route, cost, depth, request.requestId()));
        return config.serverTiming()
                ? outcome.response().withHeader(ServerTiming.HEADER, ServerTiming.of(cost))
                : outcome.response();
    }

    private Outcome failed(RuntimeException failure) {
        return switch (failure) {
            case RequestRejectedException e -> Outcome.failed(e.toResponse(), e.code(), null);
            case DailyQuotaExceededException e -> Outcome.failed(dailyQuota.exceeded().toResponse(),
                    ErrorCode.DAILY_QUOTA_EXCEEDED, null);
            case DependencyUnavailableException e -> Outcome.failed(HttpResponse.error(ErrorCode.SERVICE_UNAVAILABLE,
                            "A dependency is unavailable; retry later with the same events (some may have been"
                                    + " written: the copies come back as duplicates)")
                    .withHeader("Retry-After", Integer.toString(config.retryAfterSeconds())),
                    ErrorCode.SERVICE_UNAVAILABLE, "unavailable:" + e.dependency());
            // A bug, never client input: answer generically and log what failed without data.
            default -> Outcome.failed(HttpResponse.error(ErrorCode.INTERNAL_ERROR,
                            "Internal error; retry later with the same events"), ErrorCode.INTERNAL_ERROR,
                    failure instanceof EventStoreException s ? "sqlstate:" + s.sqlState() : whereItFailed(failure));
        };
    }

    /**
     * The bug's type, the frame that threw it and the cause's type: where an operator looks first. Not the
     * messages, which may quote the request. A bare "java.lang.NullPointerException" once left a 500 under load
     * with nothing to go on (docs/PERFORMANCE.md).
     */
    static String whereItFailed(Throwable failure) {
        StringBuilder where = new StringBuilder(failure.getClass().getName());
        StackTraceElement[] frames = failure.getStackTrace();
        if (frames.length > 0) {
            where.append(" at ").append(frames[0]);
        }
        if (failure.getCause() != null) {
            where.append(" caused by ").append(failure.getCause().getClass().getName());
        }
        return where.toString();
    }

    /**
     * The contract's checks in order. The stopwatch's phases are timed with try/finally where a dependency
     * is called, so a failed or timed-out call shows its wait in the 503's log line.
     */
    private Outcome process(IngestRoute route, HttpRequest request, OptionalInt depth, RequestStopwatch stopwatch) {
        String userId = request.subject().orElseThrow(() ->
                new RequestRejectedException(ErrorCode.UNAUTHORIZED, "A valid bearer token is required, its sub 1-"
                        + HttpRequest.MAX_SUBJECT_CHARS + " printable ASCII characters"));
        JsonContentType.require(request.headers());
        BodyDecoder.ContentEncoding encoding = BodyDecoder.encodingOf(request.headers());
        long phase = System.nanoTime();
        RateLimitDecision decision;
        try {
            decision = rateLimiter.tryAcquire(userId);
        } finally {
            phase = stopwatch.lap(CostFigure.RATE_LIMIT, phase);
        }
        if (!decision.allowed()) {
            throw new RequestRejectedException(ErrorCode.RATE_LIMITED, "Too many requests; retry later",
                    Map.of("Retry-After", Integer.toString(decision.retryAfterSeconds())));
        }
        byte[] body = bodyDecoder.decode(request.body(), request.base64Encoded(), encoding);
        JsonNode root = parse(body);
        List<JsonNode> elements = elementsOf(route, root);
        requireSameUser(root, elements, userId);
        phase = stopwatch.lap(CostFigure.PARSE, phase);
        // Charged by the store, in the batch's own statement (DailyQuota): a refusal writes nothing.
        DailyQuotaCharge quota = dailyQuota.charge(elements.size(), body.length);
        return switch (route.kind()) {
            case PROGRESS -> storeValid(elements, progressValidator,
                    valid -> store.storeProgress(userId, valid, depth, quota), stopwatch, phase);
            case ANALYTICS -> storeValid(elements, analyticsValidator,
                    valid -> store.storeAnalytics(userId, valid, depth, quota), stopwatch, phase);
        };
    }

    private static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw new RequestRejectedException(ErrorCode.INVALID_JSON, "The body is empty");
        }
        try {
            JsonNode root = Json.readBoundedTree(BODY_READER, body);
            if (root == null || root.isMissingNode()) {
                throw new RequestRejectedException(ErrorCode.INVALID_JSON, "The body is empty");
            }
            return root;
        } catch (JsonLimitException e) {
            throw new RequestRejectedException(ErrorCode.INVALID_JSON, e.reason());
        } catch (StreamConstraintsException e) {
            throw new RequestRejectedException(ErrorCode.INVALID_JSON, "The body exceeds a JSON limit: nesting deeper than "
                    + Json.MAX_NESTING_DEPTH + " or a number longer than " + Json.MAX_NUMBER_LENGTH + " characters");
        } catch (IOException e) {
            throw new RequestRejectedException(ErrorCode.INVALID_JSON, "The body is not valid JSON");
        }
    }

    private List<JsonNode> elementsOf(IngestRoute route, JsonNode root) {
        if (!root.isObject()) {
            throw new RequestRejectedException(ErrorCode.INVALID_SHAPE, route.isBatch()
                    ? "The body must be an object with an \"events\" array" : "The body must be one event object");
        }
        if (!route.isBatch()) {
            return List.of(root);
        }
        JsonNode events = root.get("events");
        if (events == null || !events.isArray()) {
            throw new RequestRejectedException(ErrorCode.INVALID_SHAPE, "The body must have an \"events\" array");
        }
        if (events.size() > config.maxEventsPerBatch()) {
            throw new RequestRejectedException(ErrorCode.TOO_MANY_EVENTS,
                    "At most " + config.maxEventsPerBatch() + " events per request");
        }
        List<JsonNode> elements = new ArrayList<>(events.size());
        events.forEach(elements::add);
        return elements;
    }

    /** The body root and every event object: a userId there must be the token's subject. */
    private static void requireSameUser(JsonNode root, List<JsonNode> elements, String userId) {
        requireSameUser(root, userId);
        for (JsonNode element : elements) {
            requireSameUser(element, userId);
        }
    }

    private static void requireSameUser(JsonNode node, String userId) {
        if (!node.isObject()) {
            return;
        }
        JsonNode claimed = node.get("userId");
        if (claimed != null && !(claimed.isTextual() && claimed.textValue().equals(userId))) {
            throw new RequestRejectedException(ErrorCode.FORBIDDEN_USER_MISMATCH,
                    "userId in the body does not match the authenticated user");
        }
    }

    @FunctionalInterface
    private interface StoreCall<T> {
        StoreResult store(List<T> validEvents);
    }

    private <T> Outcome storeValid(List<JsonNode> elements, EventValidator<T> validator, StoreCall<T> storeCall,
                                   RequestStopwatch stopwatch, long validateFrom) {
        EventOutcome[] outcomes = new EventOutcome[elements.size()];
        List<T> valid = new ArrayList<>();
        List<Integer> requestIndexOfValid = new ArrayList<>();
        for (int i = 0; i < elements.size(); i++) {
            Validation<T> validation = validator.validate(elements.get(i));
            if (validation.isValid()) {
                valid.add(validation.event());
                requestIndexOfValid.add(i);
            } else {
                outcomes[i] = EventOutcome.rejected(validation.eventId(), i, validation.reason());
            }
        }
        long phase = stopwatch.lap(CostFigure.VALIDATE, validateFrom);
        if (!valid.isEmpty()) {
            StoreResult stored;
            long dbFrom = phase;
            try {
                stored = storeCall.store(valid);
            } finally {
                // Failures count too: a call that ran into the statement timeout is the slowness to report.
                phase = stopwatch.lap(CostFigure.DB, dbFrom);
                dbLatency.record((phase - dbFrom) / 1e6);
            }
            if (!stored.rollupBucketsClaimed().isEmpty()) {
                requestRollups(stored);
                phase = stopwatch.lap(CostFigure.FAN_OUT, phase);
            }
            mapBack(stored.outcomes(), requestIndexOfValid, outcomes);
        }
        List<EventOutcome> all = List.of(outcomes);
        HttpResponse response = HttpResponse.json(200, BatchResponse.of(all));
        OptionalLong lag = queueLag.lagMillis(dbLatency.averageMillis());
        if (lag.isPresent()) {
            response = response.withHeader(QueueLagPolicy.HEADER, Long.toString(lag.getAsLong()));
        }
        stopwatch.lap(CostFigure.RESPOND, phase);
        return Outcome.ok(response, all);
    }

    /**
     * The events are committed: nothing after this point may turn the answer into an error. The queue
     * reports its own failures; this guard only keeps a bug there from failing a stored request (the
     * scheduled sweep rolls the org up anyway).
     */
    private void requestRollups(StoreResult stored) {
        try {
            rollupJobs.requestRollups(stored.rollupBucketsClaimed());
        } catch (RuntimeException e) {
            // Deliberately ignored: see above.
        }
    }

    /** Store outcomes index the list of valid events; translate them to positions in the request. */
    private static void mapBack(List<EventOutcome> stored, List<Integer> requestIndexOfValid, EventOutcome[] outcomes) {
        if (stored.size() != requestIndexOfValid.size()) {
            throw new IllegalStateException("event store returned " + stored.size() + " outcomes for "
                    + requestIndexOfValid.size() + " events");
        }
        for (EventOutcome o : stored) {
            if (o.index() < 0 || o.index() >= requestIndexOfValid.size()) {
                throw new IllegalStateException("event store returned index " + o.index());
            }
            int requestIndex = requestIndexOfValid.get(o.index());
            if (outcomes[requestIndex] != null) {
                throw new IllegalStateException("event store returned index " + o.index() + " twice");
            }
            outcomes[requestIndex] = new EventOutcome(o.eventId(), requestIndex, o.status(), o.reason());
        }
    }

    /** The response of one request and the facts its log line needs. */
    private record Outcome(HttpResponse response, ErrorCode error, List<EventOutcome> events, String failure) {

        static Outcome ok(HttpResponse response, List<EventOutcome> events) {
            return new Outcome(response, null, events, null);
        }

        static Outcome failed(HttpResponse response, ErrorCode error, String failure) {
            return new Outcome(response, error, List.of(), failure);
        }

        RequestRecord toRecord(IngestRoute route, RequestCost cost, OptionalInt depth, String requestId) {
            return new RequestRecord(route, response.status(), error == null ? null : error.wireName(),
                    count(EventOutcome.Status.ACCEPTED), count(EventOutcome.Status.DUPLICATE),
                    count(EventOutcome.Status.REJECTED), cost, depth, requestId, failure);
        }

        private int count(EventOutcome.Status status) {
            return (int) events.stream().filter(e -> e.status() == status).count();
        }
    }
}
