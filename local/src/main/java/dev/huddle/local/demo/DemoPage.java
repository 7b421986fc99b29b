package dev.huddle.local.demo;

import com.sun.net.httpserver.HttpExchange;
import dev.huddle.local.jwt.TokenIssuer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The demo page at {@code /demo/}: a lesson played in the browser through the browser client
 * (web-client/), with its queue stats and the server's answer to each batch. The files come from the
 * classpath ({@code demo/}: the page, its script, and the client bundle the build puts there); the page gets
 * its token from {@code /demo/token?user=learner-NNNN}, signed with the stack's key, for callers on this
 * machine only (the stack binds 127.0.0.1 unless told otherwise; a token for anyone is a local-stack
 * convenience that must not reach another host).
 */
public final class DemoPage {
    public static final String PATH = "/demo/";
    private static final Duration TOKEN_LIFETIME = Duration.ofHours(1);
    private static final Pattern LEARNER = Pattern.compile("learner-[0-9]{4}");
    private static final Map<String, String> FILES = Map.of(
            "", "text/html; charset=utf-8",
            "demo.js", "text/javascript; charset=utf-8",
            "huddle-client.js", "text/javascript; charset=utf-8");

    private final TokenIssuer tokens;
    private final Clock clock;

    public DemoPage(TokenIssuer tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    public void handle(HttpExchange exchange) {
        try (exchange) {
            String name = exchange.getRequestURI().getRawPath().substring(PATH.length());
            boolean read = exchange.getRequestMethod().equals("GET") || exchange.getRequestMethod().equals("HEAD");
            if (!read) {
                send(exchange, 405, "text/plain", "GET only");
            } else if (name.equals("token")) {
                token(exchange);
            } else if (FILES.containsKey(name)) {
                byte[] file = resource(name.isEmpty() ? "index.html" : name);
                if (file == null) {
                    send(exchange, 503, "text/plain", "demo/" + name + " is not on the classpath: the Maven build"
                            + " of local/ puts the browser client's bundle there");
                } else {
                    send(exchange, 200, FILES.get(name), file);
                }
            } else {
                send(exchange, 404, "text/plain", "no such demo file");
            }
        } catch (IOException clientWentAway) {
            // Nothing to answer to.
        }
    }

    private void token(HttpExchange exchange) throws IOException {
        if (!exchange.getRemoteAddress().getAddress().isLoopbackAddress()) {
            send(exchange, 403, "text/plain", "demo tokens are for this machine only");
            return;
        }
        String query = exchange.getRequestURI().getRawQuery();
        String user = query != null && query.startsWith("user=") ? query.substring("user=".length()) : "learner-0001";
        if (!LEARNER.matcher(user).matches()) {
            send(exchange, 400, "text/plain", "user must be learner-NNNN");
            return;
        }
        send(exchange, 200, "text/plain", tokens.issue(user, TOKEN_LIFETIME, List.of(), clock.instant())
                .getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String type, String text) throws IOException {
        send(exchange, status, type, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            exchange.getResponseBody().write(body);
        }
    }

    /** The file, or null when it is not on the classpath. */
    private static byte[] resource(String name) {
        try (InputStream in = DemoPage.class.getResourceAsStream("/demo/" + name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
