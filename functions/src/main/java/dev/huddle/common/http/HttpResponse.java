package dev.huddle.common.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.huddle.common.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** One HTTP response with a JSON body built by Jackson. */
public record HttpResponse(int status, Map<String, String> headers, String body) {

    public HttpResponse {
        Objects.requireNonNull(body, "body == null");
        headers = Map.copyOf(headers);
    }

    public static HttpResponse json(int status, Object body) {
        try {
            return new HttpResponse(status, Map.of("Content-Type", "application/json"),
                    Json.mapper().writeValueAsString(body));
        } catch (JsonProcessingException e) {
            // Only our own response objects get here; failing to write one is a bug, not a client error.
            throw new IllegalStateException("response body could not be serialized", e);
        }
    }

    /** The contract's error shape: {@code {"error": code, "message": text}}. */
    public static HttpResponse error(ErrorCode code, String message) {
        ObjectNode body = Json.mapper().createObjectNode()
                .put("error", code.wireName())
                .put("message", message);
        return json(code.status(), body);
    }

    public HttpResponse withHeader(String name, String value) {
        return withHeaders(Map.of(name, value));
    }

    public HttpResponse withHeaders(Map<String, String> extra) {
        if (extra.isEmpty()) {
            return this;
        }
        Map<String, String> merged = new LinkedHashMap<>(headers);
        merged.putAll(extra);
        return new HttpResponse(status, merged, body);
    }
}
