package dev.huddle.local.gateway;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Supplier;

/**
 * One Lambda function of the local stack, run the way Lambda runs it: each handler instance (an
 * "execution environment") serves one request at a time, and a new instance is created (a cold start)
 * only when every existing one is busy. Handlers therefore never need to be thread-safe locally either,
 * and per-container state (a DB connection, an SDK client) behaves as on AWS. The number of instances is
 * bounded by the front's thread pool, as concurrency is bounded by reserved concurrency on AWS.
 */
public final class LocalFunction {
    /** API Gateway's HTTP API integration timeout caps what a function may take; the default is lower. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final int MEMORY_MB = 1024;

    private final String name;
    private final Duration timeout;
    private final Supplier<? extends RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> factory;
    private final ConcurrentLinkedDeque<RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> idle =
            new ConcurrentLinkedDeque<>();

    public LocalFunction(String name, Duration timeout,
            Supplier<? extends RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> factory) {
        this.name = Objects.requireNonNull(name, "name == null");
        this.timeout = Objects.requireNonNull(timeout, "timeout == null");
        this.factory = Objects.requireNonNull(factory, "factory == null");
    }

    public String name() {
        return name;
    }

    /** Creates one execution environment now, so configuration errors show at startup, not on a request. */
    public void warmUp() {
        idle.push(newEnvironment());
    }

    /** Invokes the handler in an idle environment (or a new one) and returns it to the pool afterwards. */
    public APIGatewayV2HTTPResponse invoke(APIGatewayV2HTTPEvent event) {
        RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler = idle.poll();
        if (handler == null) {
            handler = newEnvironment();
        }
        try {
            return handler.handleRequest(event, new LocalLambdaContext(
                    name, UUID.randomUUID().toString(), timeout, MEMORY_MB));
        } finally {
            idle.push(handler);
        }
    }

    private RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> newEnvironment() {
        return Objects.requireNonNull(factory.get(), () -> "handler factory of " + name + " returned null");
    }
}
