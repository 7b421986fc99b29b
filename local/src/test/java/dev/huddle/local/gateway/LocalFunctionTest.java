package dev.huddle.local.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LocalFunctionTest {
    private final AtomicInteger environmentsCreated = new AtomicInteger();

    @Test
    void reusesOneEnvironment_forSequentialInvocations() {
        LocalFunction function = new LocalFunction("f", Duration.ofSeconds(1), 8, () -> counting((event, ctx) -> ok()));

        function.invoke(new APIGatewayV2HTTPEvent());
        function.invoke(new APIGatewayV2HTTPEvent());
        function.invoke(new APIGatewayV2HTTPEvent());

        assertThat(environmentsCreated).hasValue(1);
    }

    @Test
    void runsColdStartsAndRequestsAtTheFunctionsPriority_andGivesTheCallerItsOwnBack() throws Exception {
        List<Integer> priorities = new CopyOnWriteArrayList<>();
        LocalFunction function = new LocalFunction("f", Duration.ofSeconds(1), 8, () -> {
            priorities.add(Thread.currentThread().getPriority());
            return (event, ctx) -> {
                priorities.add(Thread.currentThread().getPriority());
                return ok();
            };
        });
        AtomicInteger afterwards = new AtomicInteger();
        Thread caller = new Thread(() -> {
            function.invoke(new APIGatewayV2HTTPEvent());
            afterwards.set(Thread.currentThread().getPriority());
        });
        caller.setPriority(Thread.MAX_PRIORITY);

        caller.start();
        caller.join(10_000);

        // The cold start, then the request; the front's thread is back at its own priority for the answer.
        assertThat(priorities).containsExactly(Thread.NORM_PRIORITY, Thread.NORM_PRIORITY);
        assertThat(afterwards).hasValue(Thread.MAX_PRIORITY);
    }

    @Test
    void createsAnotherEnvironment_onlyWhileOneIsBusy() throws Exception {
        CountDownLatch bothInside = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        LocalFunction function = new LocalFunction("f", Duration.ofSeconds(1), 8, () -> counting((event, ctx) -> {
            bothInside.countDown();
            await(release);
            return ok();
        }));

        ExecutorService callers = Executors.newFixedThreadPool(2);
        try {
            Future<?> first = callers.submit(() -> function.invoke(new APIGatewayV2HTTPEvent()));
            Future<?> second = callers.submit(() -> function.invoke(new APIGatewayV2HTTPEvent()));
            assertThat(bothInside.await(10, TimeUnit.SECONDS)).as("both invocations running").isTrue();
            release.countDown();
            first.get(10, TimeUnit.SECONDS);
            second.get(10, TimeUnit.SECONDS);
        } finally {
            callers.shutdownNow();
        }
        function.invoke(new APIGatewayV2HTTPEvent());

        assertThat(environmentsCreated).hasValue(2);
    }

    @Test
    void createsAndPrimesEnvironmentAtWarmUp() {
        List<APIGatewayV2HTTPEvent> seen = new CopyOnWriteArrayList<>();
        LocalFunction function = new LocalFunction("f", Duration.ofSeconds(1), 8, () -> counting((event, ctx) -> {
            seen.add(event);
            return ok();
        }));
        APIGatewayV2HTTPEvent priming = APIGatewayV2HTTPEvent.builder().withRawPath("/priming").build();

        function.warmUp(priming);
        function.invoke(new APIGatewayV2HTTPEvent());

        assertThat(environmentsCreated).hasValue(1);
        assertThat(seen).first().isSameAs(priming);
    }

    @Test
    void makesBurstWaitForAFreeEnvironment_atTheConcurrencyCap() throws Exception {
        CountDownLatch firstInside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger invocations = new AtomicInteger();
        LocalFunction function = new LocalFunction("f", Duration.ofSeconds(10), 1, () -> counting((event, ctx) -> {
            if (invocations.incrementAndGet() == 1) {
                firstInside.countDown();
                await(release);
            }
            return ok();
        }));

        ExecutorService callers = Executors.newFixedThreadPool(2);
        try {
            Future<?> first = callers.submit(() -> function.invoke(new APIGatewayV2HTTPEvent()));
            assertThat(firstInside.await(10, TimeUnit.SECONDS)).isTrue();
            Future<?> second = callers.submit(() -> function.invoke(new APIGatewayV2HTTPEvent()));
            release.countDown();
            first.get(10, TimeUnit.SECONDS);
            second.get(10, TimeUnit.SECONDS);
        } finally {
            callers.shutdownNow();
        }

        assertThat(invocations).hasValue(2);
        assertThat(environmentsCreated).hasValue(1);
    }

    @Test
    void throttles_whenNoEnvironmentFreesUpWithinTheTimeout() throws Exception {
        CountDownLatch firstInside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        LocalFunction function = new LocalFunction("f", Duration.ofMillis(200), 1, () -> counting((event, ctx) -> {
            firstInside.countDown();
            await(release);
            return ok();
        }));

        ExecutorService callers = Executors.newSingleThreadExecutor();
        try {
            Future<?> first = callers.submit(() -> function.invoke(new APIGatewayV2HTTPEvent()));
            assertThat(firstInside.await(10, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> function.invoke(new APIGatewayV2HTTPEvent()))
                    .isInstanceOf(LocalFunction.ThrottledException.class);
            release.countDown();
            first.get(10, TimeUnit.SECONDS);
        } finally {
            callers.shutdownNow();
        }
    }

    private RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> counting(
            RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler) {
        environmentsCreated.incrementAndGet();
        return handler;
    }

    private static APIGatewayV2HTTPResponse ok() {
        return APIGatewayV2HTTPResponse.builder().withStatusCode(200).build();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
