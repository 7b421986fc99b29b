package dev.huddle.perf.loadtest;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.RequestContext;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.huddle.ingest.IngestHandler;
import java.time.Instant;
import java.util.Map;

/**
 * Runs in a fresh JVM whose classpath is the Lambda jar plus this one class (see {@link ColdStart}):
 * constructs {@link IngestHandler} as Lambda does (no-argument constructor, settings from the environment)
 * and sends it one progress batch, then prints {@code COLDSTART <status> <constructMs> <firstRequestMs>}.
 * Nothing here may use classes outside the Lambda jar and the JDK.
 */
public final class ColdStartProbe {
    static final String RESULT_PREFIX = "COLDSTART ";
    private static final String ROUTE_KEY = "POST /api/client/progress/batch";

    private ColdStartProbe() {
    }

    /** {@code args[0]}: the learner (sub claim), {@code args[1]}: a body with its events. */
    public static void main(String[] args) {
        long start = System.nanoTime();
        IngestHandler handler = new IngestHandler();
        long constructed = System.nanoTime();
        // The handler does not use the Lambda Context, so the probe passes none.
        APIGatewayV2HTTPResponse response = handler.handleRequest(event(args[0], args[1]), null);
        long answered = System.nanoTime();
        System.out.println(RESULT_PREFIX + response.getStatusCode() + " " + (constructed - start) / 1_000_000.0 + " "
                + (answered - constructed) / 1_000_000.0);
        System.out.flush();
    }

    private static APIGatewayV2HTTPEvent event(String learner, String body) {
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(ROUTE_KEY)
                .withRawPath(ROUTE_KEY.split(" ", 2)[1])
                .withRawQueryString("")
                .withHeaders(Map.of("content-type", "application/json"))
                .withBody(body)
                .withRequestContext(RequestContext.builder()
                        .withRouteKey(ROUTE_KEY)
                        .withStage("$default")
                        .withRequestId("cold-start-probe")
                        .withTimeEpoch(Instant.now().toEpochMilli())
                        .withHttp(RequestContext.Http.builder().withMethod("POST").withPath(ROUTE_KEY.split(" ", 2)[1])
                                .withProtocol("HTTP/1.1").withSourceIp("127.0.0.1").withUserAgent("cold-start-probe")
                                .build())
                        .withAuthorizer(RequestContext.Authorizer.builder()
                                .withJwt(RequestContext.Authorizer.JWT.builder()
                                        .withClaims(Map.of("sub", learner)).withScopes(null).build())
                                .build())
                        .build())
                .build();
    }
}
