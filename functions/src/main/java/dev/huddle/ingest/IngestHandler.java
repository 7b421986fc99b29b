package dev.huddle.ingest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.huddle.common.http.ApiGatewayAdapter;
import dev.huddle.common.observability.LatencyEwma;
import dev.huddle.common.observability.LogSink;
import java.time.Clock;
import org.crac.Resource;

/**
 * Lambda entry point for the four POST ingest routes: adapts the API Gateway HTTP API event and hands over to
 * {@link IngestService}, which routes it. Collaborators are built once per container.
 */
public final class IngestHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final IngestService service;
    /** Held here because CRaC keeps registered resources only weakly; null when built around a service. */
    private final IngestPriming snapStartPriming;
    /** The first calls after a SnapStart restore ({@link ColdStartWarmUp#afterRestore}); held for the same reason. */
    private final Resource restoreWarmUp;

    /** Lambda's constructor: configuration from the environment. */
    public IngestHandler() {
        this(IngestConfig.from(System.getenv()));
    }

    /**
     * The real wiring for a configuration (Lambda, the local stack): the DynamoDB rate limiter, the PostgreSQL
     * store, the rollup job queue when one is configured, stdout telemetry, the container-wide latency average.
     * Built and warmed on two threads at a cold start ({@link ColdStartWarmUp}), unless the configuration turns
     * that off; the hot path primed before a SnapStart snapshot, the first calls made again after a restore.
     */
    public IngestHandler(IngestConfig config) {
        this.snapStartPriming = IngestPriming.registerFor(config);
        ColdStartWarmUp.Collaborators parts = config.warmUpAtInit()
                ? ColdStartWarmUp.buildWarm(config, snapStartPriming, LogSink.stdout())
                : ColdStartWarmUp.build(config);
        this.service = new IngestService(config, parts.rateLimiter(), parts.store(), parts.rollupJobs(),
                Clock.systemUTC(), LatencyEwma.databaseCalls(), LogSink.stdout());
        this.restoreWarmUp = ColdStartWarmUp.afterRestore(parts, LogSink.stdout());
    }

    IngestHandler(IngestService service) {
        this.service = service;
        this.snapStartPriming = null;
        this.restoreWarmUp = null;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return ApiGatewayAdapter.toResponse(service.handle(ApiGatewayAdapter.toRequest(event)));
    }
}
