package dev.huddle.local.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.huddle.common.Json;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns verified JWT claims into the string map API Gateway passes in
 * {@code requestContext.authorizer.jwt.claims}: every value is a string; numbers print as integers
 * ({@code "exp": "1700000000"}); arrays print as API Gateway prints them, in square brackets separated by
 * spaces ({@code "aud": "[a b]"} for a two-element audience). Objects (rare in access tokens) become JSON.
 */
final class ClaimStrings {
    private ClaimStrings() {
    }

    static Map<String, String> of(Map<String, Object> claims) {
        Map<String, String> strings = new LinkedHashMap<>();
        claims.forEach((name, value) -> {
            if (value != null) {
                strings.put(name, render(value));
            }
        });
        return strings;
    }

    private static String render(Object value) {
        if (value instanceof Collection<?> list) {
            return list.stream().map(ClaimStrings::render).collect(Collectors.joining(" ", "[", "]"));
        }
        if (value instanceof Map<?, ?> object) {
            try {
                return Json.mapper().writeValueAsString(object);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("claim object cannot be serialized", e);
            }
        }
        return String.valueOf(value);
    }
}
