package dev.huddle.local.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.time.Duration;
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
    void shouldReuseOneEnvironment_forSequentialInvocations() {
        LocalFunction function = new LocalFunction("f", Duration.ofSeconds(1), () -> counting((event, ctx) -> ok()));

        function.invoke(new APIGatewayV2HTTPEvent());
        function.invoke(new APIGatewayV2HTTPEvent());
        function.invoke(new APIGatewayV2HTTPEvent());

        assertThat(environmentsCreated).hasValue(1);
    }

    @Test
    void shouldCreateAnotherEnvironment_onlyWhileOneIsBusy() throws Exception {
        CountDownLatch bothInside = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        LocalFunction function = new LocalFunction("f", Duration.ofSeconds(1), () -> counting((event, ctx) -> {
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
    void shouldCreateEnvironmentAtWarmUp() {
        LocalFunction function = new LocalFunction("f", Duration.ofSeconds(1), () -> counting((event, ctx) -> ok()));

        function.warmUp();
        function.invoke(new APIGatewayV2HTTPEvent());

        assertThat(environmentsCreated).hasValue(1);
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
