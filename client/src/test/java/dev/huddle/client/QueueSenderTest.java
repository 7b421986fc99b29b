package dev.huddle.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sending rules with a scripted transport: what leaves the queue, what is retried, what is joined. */
class QueueSenderTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path directory;

    private final List<List<String>> sentBatches = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<BatchResult>> pending = new CopyOnWriteArrayList<>();
    private final List<RejectedEvent> rejected = new CopyOnWriteArrayList<>();
    private final List<DeliveryError> errors = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService scheduler;
    private DiskQueue queue;
    private QueueSender sender;

    @BeforeEach
    void openQueue() {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        queue = DiskQueue.open(directory, 1_000, false, CLOCK);
        sender = new QueueSender(QueueName.PROGRESS, queue, BatchCutter.contractLimits(), this::send,
                new AdaptiveInterval(Duration.ofSeconds(1), Duration.ofSeconds(8)),
                new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(16), bound -> 0), CLOCK, scheduler,
                queue::depth, rejected::addAll, errors::add, Duration.ofMinutes(5), () -> { });
    }

    @AfterEach
    void closeQueue() {
        queue.close();
        scheduler.shutdownNow();
    }

    @Test
    void aSecondSendWhileOneIsInFlight_joinsIt_insteadOfStartingAnother() {
        track(3);

        CompletableFuture<Boolean> first = sender.sendNextBatch();
        CompletableFuture<Boolean> second = sender.sendNextBatch();

        assertThat(second).isSameAs(first);
        assertThat(sentBatches).hasSize(1);
        assertThat(sender.inFlightEvents()).isEqualTo(3);
        pending.get(0).complete(answered(List.of()));
        assertThat(first.join()).isTrue();
        assertThat(sender.inFlightEvents()).isZero();
    }

    @Test
    void anAnsweredBatch_leavesTheQueue_andItsRejectionsAreReported() {
        track(3);
        CompletableFuture<Boolean> sent = sender.sendNextBatch();

        pending.get(0).complete(answered(List.of(new RejectedEvent(QueueName.PROGRESS, "e-0001", "no_assignment"))));

        assertThat(sent.join()).isTrue();
        assertThat(queue.depth()).isZero();
        assertThat(rejected).containsExactly(new RejectedEvent(QueueName.PROGRESS, "e-0001", "no_assignment"));
    }

    @Test
    void aFailedRequest_keepsTheEvents_andTheRetrySendsTheSameIds() {
        track(3);
        CompletableFuture<Boolean> sent = sender.sendNextBatch();
        pending.get(0).complete(BatchResult.kept(503, BatchResult.Outcome.RETRY, "HTTP 503 service_unavailable",
                Duration.ofMillis(5), Duration.ZERO, Duration.ZERO));

        assertThat(sent.join()).isFalse();
        assertThat(queue.depth()).isEqualTo(3);
        assertThat(sender.nextDelay()).as("first backoff, lowest draw").isEqualTo(Duration.ofMillis(500));

        sender.sendNextBatch();
        assertThat(sentBatches.get(1)).isEqualTo(sentBatches.get(0));
    }

    @Test
    void aRefusedRequest_dropsTheBatch_andReportsEveryEvent() {
        track(2);
        CompletableFuture<Boolean> sent = sender.sendNextBatch();
        pending.get(0).complete(new BatchResult(413, BatchResult.Outcome.REFUSED,
                List.of(new RejectedEvent(QueueName.PROGRESS, "e-0000", "payload_too_large"),
                        new RejectedEvent(QueueName.PROGRESS, "e-0001", "payload_too_large")),
                null, Duration.ofMillis(5), Duration.ZERO, Duration.ZERO));

        assertThat(sent.join()).isTrue();
        assertThat(queue.depth()).isZero();
        assertThat(rejected).extracting(RejectedEvent::eventId).containsExactly("e-0000", "e-0001");
    }

    @Test
    void flush_sendsBatchAfterBatch_untilEverythingQueuedBeforeItWasAnswered() {
        answerEveryRequest();
        track(250);

        sender.flush().join();

        assertThat(sentBatches).extracting(List::size).containsExactly(100, 100, 50);
        assertThat(queue.depth()).isZero();
    }

    @Test
    void flush_stopsAtTheFirstFailedRequest() {
        track(250);
        CompletableFuture<Void> flushed = sender.flush();

        pending.get(0).complete(BatchResult.networkError(new java.net.ConnectException("refused")));

        assertThat(flushed).isCompleted();
        assertThat(sentBatches).hasSize(1);
        assertThat(queue.depth()).isEqualTo(250);
    }

    @Test
    void aRetryAfterHold_delaysTheNextRequest() {
        track(1);
        CompletableFuture<Boolean> sent = sender.sendNextBatch();
        pending.get(0).complete(BatchResult.kept(429, BatchResult.Outcome.RETRY, "HTTP 429 rate_limited",
                Duration.ofMillis(5), Duration.ZERO, Duration.ofSeconds(30)));
        sent.join();

        sender.sendNextBatch();

        assertThat(sentBatches).as("held for 30 s (fixed clock)").hasSize(1);
        assertThat(sender.nextDelay()).isEqualTo(Duration.ofSeconds(30));
    }

    private boolean autoAnswer;

    private void answerEveryRequest() {
        autoAnswer = true;
    }

    private CompletableFuture<BatchResult> send(QueueName name, List<QueuedEvent> batch, int depth) {
        sentBatches.add(batch.stream().map(QueuedEvent::eventId).toList());
        if (autoAnswer) {
            return CompletableFuture.supplyAsync(() -> answered(List.of()));
        }
        CompletableFuture<BatchResult> response = new CompletableFuture<>();
        pending.add(response);
        return response;
    }

    private void track(int count) {
        for (int i = 0; i < count; i++) {
            String id = String.format("e-%04d", i);
            String json = "{\"eventId\":\"" + id + "\"}";
            assertThat(sender.append(id, json.getBytes(StandardCharsets.UTF_8))).isTrue();
        }
    }

    private static BatchResult answered(List<RejectedEvent> rejected) {
        return BatchResult.answered(new ArrayList<>(rejected), Duration.ofMillis(5), Duration.ZERO, Duration.ZERO);
    }
}
