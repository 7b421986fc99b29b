package dev.huddle.ingest;

import dev.huddle.common.http.HttpRequest;
import java.util.Arrays;
import java.util.Optional;

/** The four POST routes of the ingest function; single-event routes share the batch code path. */
enum IngestRoute {
    PROGRESS_BATCH("/api/client/progress/batch", Kind.PROGRESS, true),
    PROGRESS_LESSON("/api/client/progress/lesson", Kind.PROGRESS, false),
    ANALYTICS_BATCH("/api/analytics/events/batch", Kind.ANALYTICS, true),
    ANALYTICS_EVENT("/api/analytics/events", Kind.ANALYTICS, false);

    public enum Kind { PROGRESS, ANALYTICS }

    public static final String METHOD = "POST";

    private final String path;
    private final Kind kind;
    private final boolean batch;

    IngestRoute(String path, Kind kind, boolean batch) {
        this.path = path;
        this.kind = kind;
        this.batch = batch;
    }

    /** The route API Gateway matched (its route key), else the one of the request's path (a catch-all route). */
    static Optional<IngestRoute> of(HttpRequest request) {
        return Arrays.stream(values()).filter(r -> r.routeKey().equals(request.routeKey())).findFirst()
                .or(() -> forPath(request.path()));
    }

    public static Optional<IngestRoute> forPath(String path) {
        return Arrays.stream(values()).filter(r -> r.path.equals(path)).findFirst();
    }

    public String path() {
        return path;
    }

    public Kind kind() {
        return kind;
    }

    /** True for {"events": [...]}, false for a body that is one event. */
    public boolean isBatch() {
        return batch;
    }

    /** The API Gateway route key, e.g. "POST /api/client/progress/batch"; also the metric dimension. */
    public String routeKey() {
        return METHOD + " " + path;
    }
}
