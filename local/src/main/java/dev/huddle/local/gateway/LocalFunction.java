package dev.huddle.local.gateway;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.huddle.devservers.LocalLambdaContext;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One Lambda function of the local stack, run the way Lambda runs it: each handler instance (an
 * "execution environment") serves one request at a time, and a new instance is created (a cold start)
 * only when every existing one is busy. Handlers therefore need not be thread-safe locally either, and
 * per-container state (a DB connection, an SDK client, a circuit breaker) behaves as on AWS.
 *
 * <p>The number of environments is capped, like a function's reserved concurrency: a laptop cannot cold
 * start dozens of SDK clients at once without blowing their timeouts. A request beyond the cap waits for a
 * free environment only as long as its caller allows, then is throttled ({@link ThrottledException}, a 503
 * at the front), as Lambda throttles beyond reserved concurrency: overload is shed, not queued.
 */
public final class LocalFunction {
    /** API Gateway's HTTP API integration timeout caps what a function may take; the default is lower. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_ENVIRONMENTS = 8;
    private static final int MEMORY_MB = 1024;

    /** Thrown when no environment became free within the allowed wait (the front answers 503). */
    public static final class ThrottledException extends RuntimeException {
        ThrottledException(String function) {
            // No stack trace: under overload thousands are thrown a second, and the front only needs the fact.
            super("no free execution environment of " + function, null, false, false);
        }
    }

    private final String name;
    private final Duration timeout;
    private final int maxEnvironments;
    private final Supplier<? extends RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> factory;
    private final LinkedBlockingDeque<RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> idle =
            new LinkedBlockingDeque<>();
    private final AtomicInteger created = new AtomicInteger();

    public LocalFunction(String name, Duration timeout, int maxEnvironments,
            Supplier<? extends RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> factory) {
        this.name = Objects.requireNonNull(name, "name == null");
        this.timeout = Objects.requireNonNull(timeout, "timeout == null");
        this.factory = Objects.requireNonNull(factory, "factory == null");
        if (maxEnvironments < 1) {
            throw new IllegalArgumentException("maxEnvironments must be at least 1: " + maxEnvironments);
        }
        this.maxEnvironments = maxEnvironments;
    }

    public String name() {
        return name;
    }

    /**
     * Whether a request that may not wait would be throttled now: every environment exists and is busy. A
     * snapshot (an environment may free up a moment later); the front uses it only for requests whose
     * admission wait is already over, which {@link #invoke(APIGatewayV2HTTPEvent, long)} would throttle at
     * once anyway.
     */
    public boolean saturated() {
        return idle.isEmpty() && created.get() >= maxEnvironments;
    }

    /**
     * Creates one execution environment now and runs {@code primingEvent} through it, so that
     * configuration errors show at startup and the first real request does not pay for class loading and
     * the SDK's first connection (what SnapStart priming does on AWS). The priming response is ignored.
     */
    public void warmUp(APIGatewayV2HTTPEvent primingEvent) {
        invoke(primingEvent);
    }

    /** Invokes the handler, waiting up to the function timeout for a free environment. */
    public APIGatewayV2HTTPResponse invoke(APIGatewayV2HTTPEvent event) {
        return invoke(event, System.nanoTime() + timeout.toNanos());
    }

    /**
     * Invokes the handler in an idle environment (or a new one) and returns it to the pool afterwards.
     *
     * @param waitDeadline {@link System#nanoTime()} after which the request is throttled rather than wait
     *     longer for a busy environment
     * @throws ThrottledException every environment stayed busy until {@code waitDeadline}
     */
    public APIGatewayV2HTTPResponse invoke(APIGatewayV2HTTPEvent event, long waitDeadline) {
        RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler = borrow(waitDeadline);
        try {
            return atFunctionPriority(() -> handler.handleRequest(event, new LocalLambdaContext(
                    name, UUID.randomUUID().toString(), timeout, MEMORY_MB)));
        } finally {
            // Most recently used first: the warmest environment serves the next request, as on Lambda.
            idle.push(handler);
        }
    }

    private RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> borrow(long waitDeadline) {
        RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler = idle.poll();
        if (handler != null) {
            return handler;
        }
        if (created.getAndUpdate(n -> n < maxEnvironments ? n + 1 : n) < maxEnvironments) {
            try {
                return Objects.requireNonNull(atFunctionPriority(factory), () -> "handler factory of " + name
                        + " returned null");
            } catch (RuntimeException | Error e) {
                created.decrementAndGet();
                throw e;
            }
        }
        try {
            handler = idle.poll(Math.max(0, waitDeadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ThrottledException(name);
        }
        if (handler == null) {
            throw new ThrottledException(name);
        }
        return handler;
    }

    /**
     * Runs function code (a cold start, a request) at the functions' priority, below the front's thread that
     * calls it ({@code ApiGatewayFront.FRONT_PRIORITY}); threads the code starts (SDK clients' timers) inherit
     * it. Waiting for a free environment stays at the caller's priority, so a throttled request's 503 is not
     * held up behind the functions.
     */
    private static <T> T atFunctionPriority(Supplier<T> code) {
        Thread caller = Thread.currentThread();
        int callerPriority = caller.getPriority();
        caller.setPriority(Thread.NORM_PRIORITY);
        try {
            return code.get();
        } finally {
            caller.setPriority(callerPriority);
        }
    }
}
