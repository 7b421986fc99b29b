package dev.huddle.local.gateway;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.huddle.common.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A response on its way to the client: either the function's {@link APIGatewayV2HTTPResponse} translated
 * as API Gateway translates it, or one of API Gateway's own answers (404, 401, 413, 500).
 */
record FrontResponse(int status, Map<String, List<String>> headers, byte[] body) {
    /** Headers the HTTP server computes itself; a function cannot set them (nor can it on AWS). */
    private static final Set<String> SERVER_HEADERS = Set.of("content-length", "transfer-encoding", "connection");

    static FrontResponse notFound() {
        return gatewayMessage(404, "Not Found");
    }

    static FrontResponse payloadTooLarge() {
        return gatewayMessage(413, "Request Entity Too Large");
    }

    /**
     * A request shed because every execution environment of its function stayed busy (Lambda's throttling):
     * the contract's 503 with {@code Retry-After} and its error body. The function never ran, so nothing of
     * the request was written; the client retries with the same events.
     */
    static FrontResponse throttled(String function, int retryAfterSeconds) {
        Map<String, List<String>> headers = jsonHeaders();
        headers.put("retry-after", List.of(Integer.toString(retryAfterSeconds)));
        return new FrontResponse(503, headers, json(Map.of("error", "service_unavailable", "message",
                "overloaded: every execution environment of " + function + " is busy; retry after "
                        + retryAfterSeconds + " s with the same events")));
    }

    static FrontResponse internalServerError() {
        return gatewayMessage(500, "Internal Server Error");
    }

    /**
     * The authorizer's refusal. API Gateway itself answers {@code {"message":"Unauthorized"}}; the contract
     * asks for its error shape with the reason, and the {@code www-authenticate} header follows AWS.
     */
    static FrontResponse unauthorized(String reason) {
        Map<String, List<String>> headers = jsonHeaders();
        headers.put("www-authenticate", List.of("Bearer error=\"invalid_token\" error_description=\"" + reason + "\""));
        return new FrontResponse(401, headers, json(Map.of("error", "unauthorized", "message", reason)));
    }

    /** Translates the function's answer; an answer API Gateway could not use becomes its 500. */
    static FrontResponse fromFunction(APIGatewayV2HTTPResponse response) {
        if (response == null || response.getStatusCode() < 100 || response.getStatusCode() > 599) {
            return internalServerError();
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        if (response.getMultiValueHeaders() != null) {
            response.getMultiValueHeaders().forEach((name, values) -> {
                if (values != null) {
                    add(headers, name, values);
                }
            });
        }
        if (response.getHeaders() != null) {
            response.getHeaders().forEach((name, value) -> {
                if (value != null) {
                    add(headers, name, List.of(value));
                }
            });
        }
        if (response.getCookies() != null && !response.getCookies().isEmpty()) {
            add(headers, "set-cookie", response.getCookies());
        }
        byte[] body;
        if (response.getBody() == null) {
            body = new byte[0];
        } else if (response.getIsBase64Encoded()) {
            try {
                body = Base64.getDecoder().decode(response.getBody());
            } catch (IllegalArgumentException notBase64) {
                return internalServerError();
            }
        } else {
            body = response.getBody().getBytes(StandardCharsets.UTF_8);
        }
        return new FrontResponse(response.getStatusCode(), headers, body);
    }

    private static void add(Map<String, List<String>> headers, String name, List<String> values) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (!SERVER_HEADERS.contains(lower)) {
            headers.computeIfAbsent(lower, n -> new ArrayList<>()).addAll(values);
        }
    }

    private static FrontResponse gatewayMessage(int status, String message) {
        return new FrontResponse(status, jsonHeaders(), json(Map.of("message", message)));
    }

    private static Map<String, List<String>> jsonHeaders() {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("content-type", List.of("application/json"));
        return headers;
    }

    private static byte[] json(Object value) {
        try {
            return Json.mapper().writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a gateway response", e);
        }
    }
}
