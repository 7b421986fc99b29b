package dev.huddle.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.huddle.common.DependencyUnavailableException;
import dev.huddle.common.Json;
import dev.huddle.common.NumberLimitException;
import dev.huddle.common.http.BodyDecoder;
import dev.huddle.common.http.ErrorCode;
import dev.huddle.common.http.HttpRequest;
import dev.huddle.common.http.HttpResponse;
import dev.huddle.common.http.JsonContentType;
import dev.huddle.common.http.RequestRejectedException;
import dev.huddle.common.http.Routes;
import dev.huddle.common.observability.LatencyEwma;
import dev.huddle.common.observability.LogSink;
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
 * 413 bytes, 400, 413 events, 403, 429 daily quota), validates each event, writes the valid ones with ONE event-store call
 * and answers which events were accepted, duplicates or rejected. Single-event routes are one-element
 * batches on the same path. After the write it asks for a rollup of every org that gained events
 * ({@link RollupJobs}: fire and forget, so a queue outage never fails a request whose events are stored).
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
    }

    /** A request as the API delivers it: 404 or 405 outside the four routes, else handled on its route. */
    public HttpResponse handle(HttpRequest request) {
        Optional<IngestRoute> route = IngestRoute.of(request);
        return Routes.refusal(request, route.isPresent(), IngestRoute.METHOD)
                .orElseGet(() -> handle(route.get(), request));
    }

    public HttpResponse handle(IngestRoute route, HttpRequest request) {
        long started = System.nanoTime();
        OptionalInt depth = ClientQueueDepth.from(request.headers());
        DbTiming dbTiming = new DbTiming();
        Outcome outcome;
        try {
            outcome = process(route, request, depth, dbTiming);
        } catch (RequestRejectedException e) {
            outcome = Outcome.failed(e.toResponse(), e.code(), null);
        } catch (DependencyUnavailableException e) {
            HttpResponse response = HttpResponse.error(ErrorCode.SERVICE_UNAVAILABLE,
                            "A dependency is unavailable; retry later with the same events (some may have been"
                                    + " written: the copies come back as duplicates)")
                    .withHeader("Retry-After", Integer.toString(config.retryAfterSeconds()));
            outcome = Outcome.failed(response, ErrorCode.SERVICE_UNAVAILABLE, "unavailable:" + e.dependency());
        } catch (RuntimeException e) {
            // A bug, never client input: answer generically and log what failed without data.
            HttpResponse response = HttpResponse.error(ErrorCode.INTERNAL_ERROR,
                    "Internal error; retry later with the same events");
            String failure = e instanceof EventStoreException s
                    ? "sqlstate:" + s.sqlState() : e.getClass().getName();
            outcome = Outcome.failed(response, ErrorCode.INTERNAL_ERROR, failure);
        }
        long durationMs = (System.nanoTime() - started) / 1_000_000;
        telemetry.record(outcome.toRecord(route, durationMs, dbTiming.millis, depth, request.requestId()));
        return outcome.response();
    }

    private Outcome process(IngestRoute route, HttpRequest request, OptionalInt depth, DbTiming dbTiming) {
        String userId = request.subject().orElseThrow(() ->
                new RequestRejectedException(ErrorCode.UNAUTHORIZED, "A valid bearer token is required, its sub 1-"
                        + HttpRequest.MAX_SUBJECT_CHARS + " printable ASCII characters"));
        JsonContentType.require(request.headers());
        BodyDecoder.ContentEncoding encoding = BodyDecoder.encodingOf(request.headers());
        RateLimitDecision decision = rateLimiter.tryAcquire(userId);
        if (!decision.allowed()) {
            throw new RequestRejectedException(ErrorCode.RATE_LIMITED, "Too many requests; retry later",
                    Map.of("Retry-After", Integer.toString(decision.retryAfterSeconds())));
        }
        byte[] body = bodyDecoder.decode(request.body(), request.base64Encoded(), encoding);
        JsonNode root = parse(body);
        List<JsonNode> elements = elementsOf(route, root);
        requireSameUser(root, elements, userId);
        RateLimitDecision quota = rateLimiter.chargeDailyQuota(userId, elements.size(), body.length);
        if (!quota.allowed()) {
            throw new RequestRejectedException(ErrorCode.DAILY_QUOTA_EXCEEDED,
                    "The daily quota of events or bytes is used up; retry after the UTC day ends",
                    Map.of("Retry-After", Integer.toString(quota.retryAfterSeconds())));
        }
        return switch (route.kind()) {
            case PROGRESS -> storeValid(elements, progressValidator,
                    valid -> store.storeProgress(userId, valid, depth), dbTiming);
            case ANALYTICS -> storeValid(elements, analyticsValidator,
                    valid -> store.storeAnalytics(userId, valid, depth), dbTiming);
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
        } catch (NumberLimitException e) {
            throw new RequestRejectedException(ErrorCode.INVALID_JSON,
                    "A number in the body has an exponent beyond +/-" + Json.MAX_EXPONENT);
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
                                   DbTiming dbTiming) {
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
        if (!valid.isEmpty()) {
            long started = System.nanoTime();
            StoreResult stored;
            try {
                stored = storeCall.store(valid);
            } finally {
                // Failures count too: a call that ran into the statement timeout is the slowness to report.
                double millis = (System.nanoTime() - started) / 1e6;
                dbLatency.record(millis);
                dbTiming.millis = OptionalLong.of(Math.round(millis));
            }
            requestRollups(stored);
            mapBack(stored.outcomes(), requestIndexOfValid, outcomes);
        }
        List<EventOutcome> all = List.of(outcomes);
        HttpResponse response = HttpResponse.json(200, BatchResponse.of(all));
        OptionalLong lag = queueLag.lagMillis(dbLatency.averageMillis());
        if (lag.isPresent()) {
            response = response.withHeader(QueueLagPolicy.HEADER, Long.toString(lag.getAsLong()));
        }
        return Outcome.ok(response, all);
    }

    /**
     * The events are committed: nothing after this point may turn the answer into an error. The queue
     * reports its own failures; this guard only keeps a bug there from failing a stored request (the
     * scheduled sweep rolls the org up anyway).
     */
    private void requestRollups(StoreResult stored) {
        if (stored.orgIdsWithAcceptedEvents().isEmpty()) {
            return;
        }
        try {
            rollupJobs.requestRollups(stored.orgIdsWithAcceptedEvents());
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

    /** How long this request's store call took, also when it failed (a 503 log line shows the wait). */
    private static final class DbTiming {
        OptionalLong millis = OptionalLong.empty();
    }

    /** The response of one request and the facts its log line needs. */
    private record Outcome(HttpResponse response, ErrorCode error, List<EventOutcome> events, String failure) {

        static Outcome ok(HttpResponse response, List<EventOutcome> events) {
            return new Outcome(response, null, events, null);
        }

        static Outcome failed(HttpResponse response, ErrorCode error, String failure) {
            return new Outcome(response, error, List.of(), failure);
        }

        RequestRecord toRecord(IngestRoute route, long durationMs, OptionalLong dbMs, OptionalInt depth,
                               String requestId) {
            return new RequestRecord(route, response.status(), error == null ? null : error.wireName(),
                    count(EventOutcome.Status.ACCEPTED), count(EventOutcome.Status.DUPLICATE),
                    count(EventOutcome.Status.REJECTED), durationMs, dbMs, depth, requestId, failure);
        }

        private int count(EventOutcome.Status status) {
            return (int) events.stream().filter(e -> e.status() == status).count();
        }
    }
}
