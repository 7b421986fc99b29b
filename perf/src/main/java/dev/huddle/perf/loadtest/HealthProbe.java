package dev.huddle.perf.loadtest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

/** Times one {@code GET /api/health}: right after a run, an overloaded stack must still answer at once. */
final class HealthProbe {
    private HealthProbe() {
    }

    /** Milliseconds until the answer, or -1 when none came within 10 s. */
    static double millis(HttpClient http, URI baseUrl) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(baseUrl.resolve("/api/health")).timeout(Duration.ofSeconds(10))
                .GET().build();
        long start = System.nanoTime();
        try {
            http.send(request, BodyHandlers.discarding());
            return (System.nanoTime() - start) / 1e6;
        } catch (IOException e) {
            return -1;
        }
    }
}
