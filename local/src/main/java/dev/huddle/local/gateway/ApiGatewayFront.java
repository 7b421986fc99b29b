package dev.huddle.local.gateway;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.huddle.local.jwt.TokenVerification;
import dev.huddle.local.jwt.TokenVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The local stand-in for API Gateway's HTTP API: it matches the route, runs the JWT authorizer, builds the
 * payload 2.0 event, invokes the function and translates its response.
 *
 * <p>It runs on the JDK's own {@code com.sun.net.httpserver}: no dependency to keep up to date, HTTP/1.1
 * keep-alive, and a pluggable executor. The front handles only API Gateway's concerns; product limits and
 * errors are the handlers'.
 *
 * <p>Overload is shed, not queued (issue 9). Every piece of accepted-but-unserved work is bounded:
 * <ul>
 *   <li>connections: at most {@link GatewaySettings#maxConnections()} (the JDK server closes the ones
 *       beyond at once), so no client's connection count can exhaust the process's file descriptors;</li>
 *   <li>requests waiting for a worker thread: HTTP/1.1 has one request per connection at a time, so at
 *       most one per connection;</li>
 *   <li>time: a request that finds no free execution environment within
 *       {@link GatewaySettings#admissionWait()} of its arrival (time queued for a worker thread included)
 *       gets the contract's 503 with {@code Retry-After}, as Lambda throttles beyond reserved concurrency,
 *       and the requests that were admitted keep their latency; one already late when a worker takes it is
 *       shed before its body is read or its token verified.</li>
 * </ul>
 */
public final class ApiGatewayFront implements AutoCloseable {
    static final String MAX_CONNECTIONS_PROPERTY = "jdk.httpserver.maxConnections";
    static final String MAX_IDLE_CONNECTIONS_PROPERTY = "sun.net.httpserver.maxIdleConnections";
    static final String NO_DELAY_PROPERTY = "sun.net.httpserver.nodelay";
    /** What a shed request is told to wait: a second, as the functions' own 503s say. */
    static final int RETRY_AFTER_SECONDS = 1;
    /**
     * The front's threads (the JDK server's dispatcher, and the workers except while a function runs on them,
     * see {@link LocalFunction#invoke(APIGatewayV2HTTPEvent, long)}) have a higher priority than the functions':
     * on AWS, API Gateway and Lambda's throttling have hardware of their own, so a shed request is answered
     * in milliseconds however busy the functions are. Java priorities reach the OS only in a JVM started with
     * {@code -XX:ThreadPriorityPolicy=1} (the load test's own stack, as root: local/.../perf/StackPriorities);
     * otherwise they are ignored and every thread shares the cores alike.
     */
    static final int FRONT_PRIORITY = Thread.MAX_PRIORITY;
    private static final ThreadLocal<Long> ARRIVED_AT = ThreadLocal.withInitial(System::nanoTime);

    private final HttpServer server;
    private final ExecutorService workers;
    private final RouteTable routes;
    private final HttpContext api;

    private ApiGatewayFront(HttpServer server, ExecutorService workers, RouteTable routes, HttpContext api) {
        this.server = server;
        this.workers = workers;
        this.routes = routes;
        this.api = api;
    }

    /** Binds, starts serving and returns; {@link #port()} tells the port when 0 was asked for. */
    public static ApiGatewayFront start(GatewaySettings settings, RouteTable routes, TokenVerifier verifier,
            Clock clock) {
        // Read once per JVM by the JDK server, when its first instance is created.
        if (System.getProperty(MAX_CONNECTIONS_PROPERTY) == null) {
            System.setProperty(MAX_CONNECTIONS_PROPERTY, Integer.toString(settings.maxConnections()));
        }
        // The server closes idle keep-alive connections beyond 200 by default, racing clients that reuse them
        // ("header parser received no bytes"); the connection cap already bounds them.
        if (System.getProperty(MAX_IDLE_CONNECTIONS_PROPERTY) == null) {
            System.setProperty(MAX_IDLE_CONNECTIONS_PROPERTY, Integer.toString(settings.maxConnections()));
        }
        // The JDK server writes a response's headers and its body as two segments; with Nagle's algorithm on
        // (its default) the body waits for the client's delayed ACK of the headers, up to 40 ms on Linux.
        if (System.getProperty(NO_DELAY_PROPERTY) == null) {
            System.setProperty(NO_DELAY_PROPERTY, "true");
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 1024);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + settings.host() + ":" + settings.port()
                    + " (is the port in use? choose another with --port)", e);
        }
        ExecutorService workers = new ThreadPoolExecutor(settings.threads(), settings.threads(),
                60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), namedThreads());
        int port = server.getAddress().getPort();
        Dispatcher dispatcher = new Dispatcher(settings, routes, verifier, clock, new PayloadV2Events(port));
        HttpContext api = server.createContext("/", dispatcher::handle);
        // Each exchange carries its arrival time to the worker, so time queued counts against the admission wait.
        server.setExecutor(task -> {
            long arrived = System.nanoTime();
            workers.execute(() -> {
                ARRIVED_AT.set(arrived);
                try {
                    task.run();
                } finally {
                    ARRIVED_AT.remove();
                }
            });
        });
        startAtFrontPriority(server);
        return new ApiGatewayFront(server, workers, routes, api);
    }

    /**
     * Serves {@code pathPrefix} with {@code handler} on the same port and workers, outside the API's routes
     * (the local stack's docs and demo page: no route, no authorizer): the longest matching prefix wins, so
     * the API keeps every other path.
     */
    public void serveOutsideApi(String pathPrefix, HttpHandler handler) {
        server.createContext(pathPrefix, handler);
    }

    /** Puts a filter in front of the API routes (CORS); call before the stack is announced ready. */
    public void filterApi(Filter filter) {
        api.getFilters().add(filter);
    }

    /** The route keys served ("POST /api/client/progress/batch", ...), in the order they were added. */
    public List<String> routeKeys() {
        return routes.routes().stream().map(Route::routeKey).toList();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String baseUrl() {
        return "http://" + server.getAddress().getHostString() + ":" + port();
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }

    /** The JDK server's dispatcher thread (accepts, selects) takes the priority of the thread that starts it. */
    private static void startAtFrontPriority(HttpServer server) {
        Thread current = Thread.currentThread();
        int before = current.getPriority();
        current.setPriority(FRONT_PRIORITY);
        try {
            server.start();
        } finally {
            current.setPriority(before);
        }
    }

    private static ThreadFactory namedThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "gateway-" + count.incrementAndGet());
            thread.setDaemon(true);
            thread.setPriority(FRONT_PRIORITY);
            return thread;
        };
    }

    /** Handles one exchange on a worker thread. */
    private record Dispatcher(GatewaySettings settings, RouteTable routes, TokenVerifier verifier, Clock clock,
            PayloadV2Events events) {

        void handle(HttpExchange exchange) {
            String requestId = PayloadV2Events.newRequestId();
            try (exchange) {
                write(exchange, requestId, respond(exchange, requestId));
            } catch (IOException clientWentAway) {
                // Nothing to answer to; the connection is closed by the try-with-resources.
            } catch (RuntimeException e) {
                System.err.println("[gateway] " + requestId + " failed: " + e);
            }
        }

        private FrontResponse respond(HttpExchange exchange, String requestId) throws IOException {
            Instant receivedAt = clock.instant();
            long admissionDeadline = ARRIVED_AT.get() + settings.admissionWait().toNanos();
            Optional<Route> late = lateForSaturatedFunction(exchange, admissionDeadline);
            if (late.isPresent()) {
                return shed(late.get());
            }
            Optional<byte[]> body = readBody(exchange);
            if (body.isEmpty()) {
                return FrontResponse.payloadTooLarge();
            }
            IncomingRequest request = new IncomingRequest(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(),
                    exchange.getProtocol(),
                    exchange.getRemoteAddress().getAddress().getHostAddress(),
                    exchange.getRequestHeaders(),
                    body.get());
            Optional<RouteTable.Match> match = routes.find(request.method(), request.rawPath());
            if (match.isEmpty()) {
                return FrontResponse.notFound();
            }
            Route route = match.get().route();
            Map<String, String> claims = null;
            if (route.requiresJwt()) {
                TokenVerification verification = verifier.verifyAuthorizationHeader(request.header("authorization"));
                if (verification instanceof TokenVerification.Rejected rejected) {
                    return FrontResponse.unauthorized(rejected.message());
                }
                claims = ClaimStrings.of(((TokenVerification.Verified) verification).claims());
            }
            APIGatewayV2HTTPEvent event = events.build(request, match.get(), claims, requestId, receivedAt);
            return invoke(route, event, admissionDeadline);
        }

        /**
         * The route of a request that waited out its admission time in the server's queue while its function
         * has no free environment: it would be throttled anyway, so it is shed before its body is read, its
         * token verified or its event built. Under overload most requests are shed, and this keeps shedding
         * so cheap that the queue in front of the worker threads drains instead of growing (issue 9). On AWS
         * the authorizer would answer a bad token's 401 first; here an overloaded front answers 503 first.
         */
        private Optional<Route> lateForSaturatedFunction(HttpExchange exchange, long admissionDeadline) {
            if (System.nanoTime() - admissionDeadline < 0) {
                return Optional.empty();
            }
            return routes.find(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath())
                    .map(RouteTable.Match::route)
                    .filter(route -> route.function().saturated());
        }

        private static FrontResponse shed(Route route) {
            // Not logged per request: under overload that would be thousands of lines a second.
            return FrontResponse.throttled(route.function().name(), RETRY_AFTER_SECONDS);
        }

        private static FrontResponse invoke(Route route, APIGatewayV2HTTPEvent event, long waitDeadline) {
            try {
                return FrontResponse.fromFunction(route.function().invoke(event, waitDeadline));
            } catch (LocalFunction.ThrottledException throttled) {
                return shed(route);
            } catch (RuntimeException | Error functionError) {
                // On AWS an unhandled error ends the invocation and API Gateway answers 500.
                System.err.println("[gateway] " + event.getRequestContext().getRequestId() + " " + route.routeKey()
                        + ": function " + route.function().name() + " failed");
                functionError.printStackTrace();
                return FrontResponse.internalServerError();
            }
        }

        /** The body, or empty when it is over API Gateway's payload limit. */
        private Optional<byte[]> readBody(HttpExchange exchange) throws IOException {
            String declared = exchange.getRequestHeaders().getFirst("Content-Length");
            if (declared != null && declaredLength(declared) > settings.maxPayloadBytes()) {
                return Optional.empty();
            }
            try (InputStream in = exchange.getRequestBody()) {
                byte[] bytes = in.readNBytes(settings.maxPayloadBytes() + 1);
                return bytes.length > settings.maxPayloadBytes() ? Optional.empty() : Optional.of(bytes);
            }
        }

        private static long declaredLength(String header) {
            try {
                return Long.parseLong(header.trim());
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        private static void write(HttpExchange exchange, String requestId, FrontResponse response)
                throws IOException {
            response.headers().forEach((name, values) -> exchange.getResponseHeaders().put(name, values));
            exchange.getResponseHeaders().set("apigw-requestid", requestId);
            boolean noBody = response.body().length == 0 || exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(response.status(), noBody ? -1 : response.body().length);
            if (!noBody) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response.body());
                }
            }
        }
    }
}
