package dev.huddle.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.huddle.common.Json;
import dev.huddle.common.http.HttpHeaders;
import dev.huddle.common.http.HttpRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One line of {@code hostile-corpus.jsonl}: a malformed or hostile request and what the contract says
 * it gets. Fields: name, route (progress_batch | progress_lesson | analytics_batch | analytics_event),
 * body, base64 (optional), headers (optional; default Content-Type application/json), claims (optional;
 * default sub=learner-0001; null = no token), expect {status, error} or {status: 200, rejected: [reasons]}.
 */
public record HostileCase(String name, IngestRoute route, HttpRequest request, int expectedStatus,
                          String expectedError, List<String> expectedRejections) {
    public static final String RESOURCE = "/hostile-corpus.jsonl";
    public static final String USER = "learner-0001";

    public static List<HostileCase> load() {
        try (InputStream in = HostileCase.class.getResourceAsStream(RESOURCE);
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            List<HostileCase> cases = new ArrayList<>();
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    cases.add(parse(Json.mapper().readTree(line)));
                }
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HostileCase parse(JsonNode line) {
        IngestRoute route = IngestRoute.valueOf(line.get("route").asText().toUpperCase(Locale.ROOT));
        Map<String, String> headers = new HashMap<>();
        if (line.has("headers")) {
            line.get("headers").fields().forEachRemaining(f -> headers.put(f.getKey(), f.getValue().asText()));
        } else {
            headers.put("content-type", "application/json");
        }
        Map<String, String> claims = new HashMap<>();
        if (!line.has("claims")) {
            claims.put("sub", USER);
        } else if (!line.get("claims").isNull()) {
            line.get("claims").fields().forEachRemaining(f -> claims.put(f.getKey(), f.getValue().asText()));
        }
        HttpRequest request = new HttpRequest("POST", route.routeKey(), route.path(), Map.of(), Map.of(), HttpHeaders.of(headers), line.get("body").asText(),
                line.path("base64").asBoolean(false), claims, "hostile");
        JsonNode expect = line.get("expect");
        List<String> rejections = new ArrayList<>();
        expect.path("rejected").forEach(r -> rejections.add(r.asText()));
        return new HostileCase(line.get("name").asText(), route, request, expect.get("status").asInt(),
                expect.path("error").asText(null), rejections);
    }

    @Override
    public String toString() {
        return name;
    }
}
