package dev.huddle.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** Sends one batch to its route and classifies the answer; the request body is gzip-compressed JSON. */
final class BatchTransport {
    static final String QUEUE_DEPTH_HEADER = "X-Client-Queue-Depth";
    static final String QUEUE_LAG_HEADER = "X-Client-Queue-Lag";
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI baseUrl;
    private final HttpClient http;
    private final Supplier<String> tokenSupplier;

    BatchTransport(URI baseUrl, HttpClient http, Supplier<String> tokenSupplier) {
        this.baseUrl = baseUrl;
        this.http = http;
        this.tokenSupplier = tokenSupplier;
    }

    /** Never completes exceptionally: a network error is a {@link BatchResult.Outcome#RETRY}. */
    CompletableFuture<BatchResult> send(QueueName queue, List<QueuedEvent> batch, int clientQueueDepth) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(baseUrl.resolve(queue.path()))
                    .timeout(REQUEST_TIMEOUT)
                    .header("Authorization", "Bearer " + tokenSupplier.get())
                    .header("Content-Type", "application/json")
                    .header("Content-Encoding", "gzip")
                    .header(QUEUE_DEPTH_HEADER, Integer.toString(clientQueueDepth))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(EventCodec.gzippedBatch(batch)))
                    .build();
        } catch (RuntimeException tokenOrRequestFailed) {
            return CompletableFuture.completedFuture(BatchResult.networkError());
        }
        long started = System.nanoTime();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .handle((response, error) -> error != null ? BatchResult.networkError()
                        : classify(queue, batch, response, Duration.ofNanos(System.nanoTime() - started)));
    }

    static BatchResult classify(QueueName queue, List<QueuedEvent> batch, HttpResponse<byte[]> response,
            Duration latency) {
        int status = response.statusCode();
        Duration lag = millisHeader(response, QUEUE_LAG_HEADER);
        Duration retryAfter = retryAfter(response);
        if (status == 200) {
            return new BatchResult(status, BatchResult.Outcome.ANSWERED, rejectedIn(queue, batch, response.body()),
                    latency, lag, retryAfter);
        }
        if (status == 401 || status == 429 || status >= 500 || status < 400) {
            // 401: the token expired or was not yet valid; the supplier is asked again on the retry, and
            // dropping a learner's events over a credential problem would lose them.
            return new BatchResult(status, BatchResult.Outcome.RETRY, List.of(), latency, lag, retryAfter);
        }
        String reason = errorCode(response.body()).orElse("http_" + status);
        List<RejectedEvent> all = batch.stream().map(event -> new RejectedEvent(queue, event.eventId(), reason)).toList();
        return new BatchResult(status, BatchResult.Outcome.REFUSED, all, latency, lag, retryAfter);
    }

    /** The {@code rejected} list of a 200; an entry without an eventId is named by its index in the batch. */
    private static List<RejectedEvent> rejectedIn(QueueName queue, List<QueuedEvent> batch, byte[] body) {
        List<RejectedEvent> rejected = new ArrayList<>();
        JsonNode list = readTree(body).path("rejected");
        for (JsonNode entry : list) {
            String eventId = entry.path("eventId").isTextual() ? entry.path("eventId").asText() : null;
            int index = entry.path("index").asInt(-1);
            if (eventId == null && index >= 0 && index < batch.size()) {
                eventId = batch.get(index).eventId();
            }
            rejected.add(new RejectedEvent(queue, eventId, entry.path("reason").asText("unknown")));
        }
        return rejected;
    }

    private static Optional<String> errorCode(byte[] body) {
        JsonNode error = readTree(body).path("error");
        return error.isTextual() ? Optional.of(error.asText()) : Optional.empty();
    }

    private static JsonNode readTree(byte[] body) {
        try {
            JsonNode tree = EventCodec.MAPPER.readTree(body);
            return tree == null ? EventCodec.MAPPER.missingNode() : tree;
        } catch (IOException notJson) {
            return EventCodec.MAPPER.missingNode();
        }
    }

    private static Duration millisHeader(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).flatMap(BatchTransport::nonNegativeLong)
                .map(Duration::ofMillis).orElse(Duration.ZERO);
    }

    /** {@code Retry-After} in seconds or as an HTTP date (RFC 9110); zero when absent or unreadable. */
    static Duration retryAfter(HttpResponse<?> response) {
        Optional<String> value = response.headers().firstValue("Retry-After").map(String::trim);
        if (value.isEmpty()) {
            return Duration.ZERO;
        }
        Optional<Long> seconds = nonNegativeLong(value.get());
        if (seconds.isPresent()) {
            return Duration.ofSeconds(seconds.get());
        }
        try {
            Duration untilDate = Duration.between(ZonedDateTime.now(),
                    ZonedDateTime.parse(value.get(), DateTimeFormatter.RFC_1123_DATE_TIME));
            return untilDate.isNegative() ? Duration.ZERO : untilDate;
        } catch (RuntimeException unreadable) {
            return Duration.ZERO;
        }
    }

    private static Optional<Long> nonNegativeLong(String text) {
        try {
            long value = Long.parseLong(text.trim());
            return value < 0 ? Optional.empty() : Optional.of(value);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
