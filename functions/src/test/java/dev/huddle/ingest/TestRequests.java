package dev.huddle.ingest;

import dev.huddle.common.http.HttpHeaders;
import dev.huddle.common.http.HttpRequest;
import java.util.HashMap;
import java.util.Map;

/** Builds plain-Java requests as the API Gateway adapter would, authenticated as learner-0001. */
final class TestRequests {
    static final String USER = "learner-0001";

    private final Map<String, String> headers = new HashMap<>(Map.of("content-type", "application/json"));
    private Map<String, String> claims = Map.of("sub", USER);
    private String body = "";
    private boolean base64;

    static TestRequests post(String body) {
        TestRequests r = new TestRequests();
        r.body = body;
        return r;
    }

    TestRequests header(String name, String value) {
        if (value == null) {
            headers.remove(name.toLowerCase());
        } else {
            headers.put(name.toLowerCase(), value);
        }
        return this;
    }

    TestRequests subject(String sub) {
        claims = Map.of("sub", sub);
        return this;
    }

    TestRequests noClaims() {
        claims = Map.of();
        return this;
    }

    TestRequests base64() {
        base64 = true;
        return this;
    }

    HttpRequest build() {
        return new HttpRequest("POST", "", "/test", Map.of(), Map.of(), HttpHeaders.of(headers), body, base64, claims, "req-test");
    }
}
