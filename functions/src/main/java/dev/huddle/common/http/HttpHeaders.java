package dev.huddle.common.http;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Request headers looked up case-insensitively (HTTP field names are case-insensitive; API Gateway
 * lower-cases them, local callers may not).
 */
public final class HttpHeaders {
    private static final HttpHeaders EMPTY = new HttpHeaders(Map.of());
    private final Map<String, String> byLowerName;

    private HttpHeaders(Map<String, String> byLowerName) {
        this.byLowerName = byLowerName;
    }

    public static HttpHeaders of(Map<String, String> headers) {
        if (headers == null || headers.isEmpty()) {
            return EMPTY;
        }
        Map<String, String> lower = new TreeMap<>();
        headers.forEach((name, value) -> {
            if (name != null && value != null) {
                lower.merge(name.toLowerCase(Locale.ROOT), value, (a, b) -> a + "," + b);
            }
        });
        return new HttpHeaders(Map.copyOf(lower));
    }

    public static HttpHeaders empty() {
        return EMPTY;
    }

    /** The trimmed value, empty when the header is absent or blank. */
    public Optional<String> get(String name) {
        String value = byLowerName.get(name.toLowerCase(Locale.ROOT));
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
