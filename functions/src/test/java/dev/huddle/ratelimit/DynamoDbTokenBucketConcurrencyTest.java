package dev.huddle.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Many threads in two "containers" (two bucket instances sharing the table) hammer users with the real
 * clock. GCRA bounds what any window can admit: with the first admission at t1 and the last at tn (the
 * limiter's own millisecond readings), n <= burst + (tn - t1) / interval. The test's start and end
 * readings of the same clock enclose t1 and tn, so admitted <= burst + rate * elapsed. One more is
 * allowed because the wall clock is not monotonic (an NTP step during the run can stretch the
 * limiter's view of time by a fraction of an interval).
 */
class DynamoDbTokenBucketConcurrencyTest {

    private static final double RATE = 20;
    private static final int BURST = 5;
    private static final Duration RUN_FOR = Duration.ofSeconds(2);

    @Test
    void neverAdmitsMoreThanTheBucketAllows_underSixteenThreadsInTwoWarmContainers() throws Exception {
        Run run = hammer((table, dynamoDb, clock) -> {
            List<DynamoDbTokenBucket> containers = List.of(
                    new DynamoDbTokenBucket(dynamoDb, table, RATE, BURST, clock),
                    new DynamoDbTokenBucket(dynamoDb, table, RATE, BURST, clock));
            return thread -> containers.get(thread % 2);
        });
        run.assertWithinBounds();
        // Never more than two calls for one request (idle form, then busy form). How many refusals the
        // warm caches answer without any call depends on how fast dynalite answers on a loaded machine,
        // so the fewer-calls-than-requests property is asserted where time is controlled
        // (DynamoDbTokenBucketTest), not here.
        assertThat(run.updateItems()).isLessThanOrEqualTo(2 * run.requests());
    }

    @Test
    void neverAdmitsMoreThanTheBucketAllows_whenEveryRequestComesFromAColdContainer() throws Exception {
        // No cache at all: every request is decided by DynamoDB's conditions alone (idle form, then busy form).
        Run run = hammer((table, dynamoDb, clock) ->
                thread -> new DynamoDbTokenBucket(dynamoDb, table, RATE, BURST, clock));
        run.assertWithinBounds();
    }

    /** 12 threads on one user and 4 on another, for RUN_FOR, limiters chosen per thread by the setup. */
    private static Run hammer(Setup setup) throws Exception {
        TestDynamo.UpdateItemCounter updateItems = new TestDynamo.UpdateItemCounter();
        DynamoDbClient dynamoDb = TestDynamo.countingClient(updateItems);
        String table = TestDynamo.newTable(dynamoDb);
        Clock clock = Clock.systemUTC();
        LimiterPerThread limiters = setup.limiters(table, dynamoDb, clock);
        String busyUser = "learner-" + UUID.randomUUID();
        String otherUser = "learner-" + UUID.randomUUID();
        AtomicInteger busyAdmitted = new AtomicInteger();
        AtomicInteger otherAdmitted = new AtomicInteger();
        AtomicInteger requests = new AtomicInteger();
        updateItems.reset();

        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> workers = new ArrayList<>();
        long start;
        long end;
        try (ExecutorService threads = Executors.newFixedThreadPool(16)) {
            for (int i = 0; i < 16; i++) {
                int thread = i;
                boolean onBusyUser = i < 12;
                workers.add(threads.submit(() -> {
                    go.await();
                    long deadline = System.nanoTime() + RUN_FOR.toNanos();
                    while (System.nanoTime() < deadline) {
                        requests.incrementAndGet();
                        if (limiters.forThread(thread).tryAcquire(onBusyUser ? busyUser : otherUser).allowed()) {
                            (onBusyUser ? busyAdmitted : otherAdmitted).incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start = clock.millis();
            go.countDown();
            for (Future<?> worker : workers) {
                worker.get();
            }
            end = clock.millis();
        }
        dynamoDb.close();
        return new Run(end - start, requests.get(), updateItems.count(), busyAdmitted.get(), otherAdmitted.get());
    }

    private record Run(long elapsedMillis, int requests, int updateItems, int busyAdmitted, int otherAdmitted) {

        long bound() {
            return BURST + (long) Math.floor(RATE * elapsedMillis / 1000.0) + 1;
        }

        void assertWithinBounds() {
            System.out.printf("concurrency: %d requests (%d UpdateItem) in %d ms; admitted busy=%d other=%d;"
                    + " bound=%d%n", requests, updateItems, elapsedMillis, busyAdmitted, otherAdmitted, bound());
            assertThat(busyAdmitted).isPositive().isLessThanOrEqualTo((int) bound());
            assertThat(otherAdmitted).isLessThanOrEqualTo((int) bound());
            // The other user's bucket is its own: at least its whole burst, whatever the busy user did.
            assertThat(otherAdmitted).isGreaterThanOrEqualTo(BURST);
            assertThat(requests).isGreaterThan(busyAdmitted + otherAdmitted);
        }
    }

    @FunctionalInterface
    private interface Setup {
        LimiterPerThread limiters(String table, DynamoDbClient dynamoDb, Clock clock);
    }

    @FunctionalInterface
    private interface LimiterPerThread {
        RateLimiter forThread(int thread);
    }
}
