package dev.huddle.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
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
            return CompletableFuture.completedFuture(BatchResult.networkError(tokenOrRequestFailed));
        }
        long started = System.nanoTime();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .handle((response, error) -> error != null ? BatchResult.networkError(error)
                        : classify(queue, batch, response, Duration.ofNanos(System.nanoTime() - started)));
    }

    /**
     * What the answer means for the batch's events (README, "Client library": the table). Only a verdict on
     * every event (a contract-shaped 200 that accounts for each, or a contract error refusing the batch for
     * good) lets them leave the queue; everything else keeps them.
     */
    static BatchResult classify(QueueName queue, List<QueuedEvent> batch, HttpResponse<byte[]> response,
            Duration latency) {
        int status = response.statusCode();
        Duration lag = millisHeader(response, QUEUE_LAG_HEADER);
        Duration retryAfter = retryAfter(response);
        byte[] body = response.body();
        if (status == 200) {
            Optional<List<RejectedEvent>> verdicts = AnswerReader.verdicts(queue, batch, body);
            return verdicts.map(rejected -> BatchResult.answered(rejected, latency, lag, retryAfter))
                    .orElseGet(() -> BatchResult.kept(status, BatchResult.Outcome.RETRY, "HTTP 200 without a batch "
                            + "result for the " + batch.size() + " events sent (is baseUrl the huddle-ingest API?)",
                            latency, lag, retryAfter));
        }
        Optional<String> refusal = AnswerReader.refusalCode(status, body);
        if (refusal.isPresent()) {
            List<RejectedEvent> all = batch.stream()
                    .map(event -> new RejectedEvent(queue, event.eventId(), refusal.get())).toList();
            return new BatchResult(status, BatchResult.Outcome.REFUSED, all, null, latency, lag, retryAfter);
        }
        String error = "HTTP " + status + AnswerReader.errorCode(body).map(code -> " " + code)
                .orElse(" without the API's error body");
        // 403 and 404: a wrong baseUrl, a stage not deployed yet, a proxy or firewall in the way. Not a verdict
        // on the events, and one that may last: QueueSender pauses the queue when it persists.
        BatchResult.Outcome outcome = status == 403 || status == 404
                ? BatchResult.Outcome.BLOCKED : BatchResult.Outcome.RETRY;
        return BatchResult.kept(status, outcome, error, latency, lag, retryAfter);
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
