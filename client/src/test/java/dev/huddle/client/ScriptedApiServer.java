package dev.huddle.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

/**
 * A real HTTP server on 127.0.0.1 that answers the client's batch requests as a script says: the client under
 * test talks to it over a real connection, and the test sees every request it received. Binds an ephemeral
 * port, or the first free one of {@code HUDDLE_TEST_PORT_RANGE} ({@code from-to}) when that is set (shared
 * machines where each developer owns a port range).
 */
final class ScriptedApiServer implements AutoCloseable {
    /** A request as received: when, its path and the eventIds of its gunzipped body, in order. */
    record Request(Instant receivedAt, String path, List<String> eventIds) {
    }

    /** What to answer; {@code status} 0 closes the connection without an answer. */
    record Answer(int status, String contentType, String body) {
        static Answer json(int status, String body) {
            return new Answer(status, "application/json", body);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Function<Request, Answer> script;

    ScriptedApiServer(Function<Request, Answer> script) throws IOException {
        this.script = script;
        this.server = bind();
        server.createContext("/", this::handle);
        server.start();
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void answerWith(Function<Request, Answer> next) {
        script = next;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The eventIds of every request received, in order (resends included). */
    List<String> eventIdsReceived() {
        return requests.stream().flatMap(request -> request.eventIds().stream()).toList();
    }

    /** A contract-shaped 200 accepting every event of the request. */
    static Answer acceptAll(Request request) {
        return Answer.json(200, "{\"accepted\":" + jsonArray(request.eventIds()) + ",\"duplicates\":[],\"rejected\":[]}");
    }

    static String jsonArray(List<String> ids) {
        return EventCodec.MAPPER.valueToTree(ids).toString();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Request request = new Request(Instant.now(), exchange.getRequestURI().getPath(), eventIds(exchange));
            requests.add(request);
            Answer answer = script.apply(request);
            if (answer.status() == 0) {
                return; // closing the exchange unanswered: the client sees the connection end
            }
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", answer.contentType());
            exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static List<String> eventIds(HttpExchange exchange) throws IOException {
        try (InputStream body = new GZIPInputStream(exchange.getRequestBody())) {
            List<String> ids = new ArrayList<>();
            for (JsonNode event : EventCodec.MAPPER.readTree(body).path("events")) {
                ids.add(event.path("eventId").asText());
            }
            return ids;
        }
    }

    private static HttpServer bind() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        String range = System.getenv("HUDDLE_TEST_PORT_RANGE");
        if (range == null || range.isBlank()) {
            return HttpServer.create(new InetSocketAddress(loopback, 0), 0);
        }
        String[] bounds = range.trim().split("-");
        for (int port = Integer.parseInt(bounds[0]); port <= Integer.parseInt(bounds[1]); port++) {
            try {
                return HttpServer.create(new InetSocketAddress(loopback, port), 0);
            } catch (BindException taken) {
                // try the next port of the range
            }
        }
        throw new BindException("no free port in HUDDLE_TEST_PORT_RANGE " + range);
    }
}
