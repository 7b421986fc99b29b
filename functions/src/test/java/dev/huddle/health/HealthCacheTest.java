package dev.huddle.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.huddle.common.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HealthCacheTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final AtomicInteger probes = new AtomicInteger();

    private HttpResponse probe() {
        return HttpResponse.json(200, Map.of("probe", probes.incrementAndGet()));
    }

    @Test
    void probesOncePerSecond_howeverManyRequestsCome() {
        HealthCache cache = new HealthCache(this::probe, Duration.ofSeconds(1), now::get);

        for (int i = 0; i < 1_000; i++) {
            assertThat(cache.answer().body()).isEqualTo("{\"probe\":1}");
            now.addAndGet(900_000);  // 1,000 requests within 0.9 s
        }
        now.addAndGet(100_000_000);
        assertThat(cache.answer().body()).isEqualTo("{\"probe\":2}");
        assertThat(probes).hasValue(2);
    }

    @Test
    void cachesA503Too_soADeadDatabaseIsNotProbedPerRequest() {
        AtomicInteger calls = new AtomicInteger();
        HealthCache cache = new HealthCache(() -> {
            calls.incrementAndGet();
            return HttpResponse.json(503, Map.of("status", "unavailable"));
        }, Duration.ofSeconds(1), now::get);

        assertThat(cache.answer().status()).isEqualTo(503);
        assertThat(cache.answer().status()).isEqualTo(503);
        assertThat(calls).hasValue(1);
    }

    @Test
    void runsOneRefreshAtATime_andServesThePreviousAnswerMeanwhile() throws Exception {
        CountDownLatch probing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        HealthCache cache = new HealthCache(() -> {
            int call = calls.incrementAndGet();
            if (call == 2) {
                probing.countDown();
                await(release);
            }
            return HttpResponse.json(200, Map.of("probe", call));
        }, Duration.ofSeconds(1), now::get);
        assertThat(cache.answer().body()).isEqualTo("{\"probe\":1}");
        now.addAndGet(2_000_000_000L);

        ExecutorService pool = Executors.newFixedThreadPool(9);
        try {
            Future<HttpResponse> refresher = pool.submit(cache::answer);
            assertThat(probing.await(30, TimeUnit.SECONDS)).as("the refresh started").isTrue();
            List<Future<HttpResponse>> others = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                others.add(pool.submit(cache::answer));
            }
            for (Future<HttpResponse> other : others) {
                assertThat(other.get(30, TimeUnit.SECONDS).body()).isEqualTo("{\"probe\":1}");
            }
            release.countDown();
            assertThat(refresher.get(30, TimeUnit.SECONDS).body()).isEqualTo("{\"probe\":2}");
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
        assertThat(calls).hasValue(2);
        assertThat(cache.answer().body()).isEqualTo("{\"probe\":2}");
    }

    @Test
    void firstCallers_shouldWaitForTheFirstProbe_andShareIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        HealthCache cache = new HealthCache(() -> {
            calls.incrementAndGet();
            await(release);
            return HttpResponse.json(200, Map.of());
        }, Duration.ofSeconds(1), now::get);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<HttpResponse>> callers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                callers.add(pool.submit(cache::answer));
            }
            release.countDown();
            for (Future<HttpResponse> caller : callers) {
                assertThat(caller.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(calls).hasValue(1);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
