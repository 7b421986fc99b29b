package dev.huddle.local.gateway;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * An HTTP request as the front received it, before it becomes a Lambda event. Header names are
 * lower-cased here, once; values keep their order.
 */
record IncomingRequest(
        String method,
        String rawPath,
        String rawQuery,
        String protocol,
        String sourceIp,
        Map<String, List<String>> headers,
        byte[] body) {

    IncomingRequest {
        Map<String, List<String>> lowerCased = new TreeMap<>();
        headers.forEach((name, values) -> lowerCased
                .computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new java.util.ArrayList<>())
                .addAll(values));
        lowerCased.replaceAll((name, values) -> List.copyOf(values));
        headers = Map.copyOf(lowerCased);
        rawQuery = rawQuery == null ? "" : rawQuery;
    }

    /** The first value of a header ({@code name} in lower case), or null. */
    String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
