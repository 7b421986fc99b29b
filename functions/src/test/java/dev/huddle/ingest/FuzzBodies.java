package dev.huddle.ingest;

import dev.huddle.common.http.HttpHeaders;
import dev.huddle.common.http.HttpRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/**
 * Random and adversarial ingest requests for {@link IngestFuzzTest}: number literals of every shape in
 * every numeric field, deep and wide nesting, long strings with escapes and lone surrogates, invalid
 * UTF-8 (through base64 bodies, the only way raw bytes reach the function), duplicate keys, big arrays,
 * gzip, and byte-level mutations of valid batches. About one body in ten is valid enough to reach the
 * store, so the write path is exercised too.
 */
final class FuzzBodies {
    static final String USER = TestRequests.USER;
    /** Inside the test clock's window (ProgressEventValidatorTest.CLOCK is 2026-11-28T12:00Z). */
    private static final String OCCURRED_AT = "2026-11-28T11:00:00Z";

    /** One generated request: the route and what API Gateway would hand over. */
    record FuzzRequest(IngestRoute route, String body, boolean base64, Map<String, String> headers, String kind) {
        HttpRequest toHttpRequest() {
            return new HttpRequest("POST", route.routeKey(), route.path(), Map.of(), Map.of(), HttpHeaders.of(headers), body, base64, Map.of("sub", USER),
                    "fuzz");
        }

        @Override
        public String toString() {
            // jqwik prints the falsifying sample: the kind and the start of the body identify it.
            return kind + " " + route + " base64=" + base64 + " headers=" + headers + " body["
                    + body.length() + "]=" + body.substring(0, Math.min(body.length(), 400));
        }
    }

    private FuzzBodies() {
    }

    static Arbitrary<FuzzRequest> requests() {
        return Arbitraries.frequencyOf(
                kind(8, tagged("valid-ish batch", validishBatch())),
                kind(14, tagged("number in a field", numberInAField())),
                kind(10, tagged("random json", jsonValue(3).map(v -> "{\"events\":[" + v + "]}"))),
                kind(8, tagged("random json root", jsonValue(4))),
                kind(6, tagged("deep nesting", deepNesting())),
                kind(3, tagged("wide object", wideObject())),
                kind(4, tagged("long string", longString())),
                kind(6, tagged("lone surrogates and escapes", escapes())),
                kind(6, tagged("duplicate keys", duplicateKeys())),
                kind(3, tagged("big array", bigArray())),
                kind(10, tagged("mutated batch", mutatedBatch())))
                .flatMap(FuzzBodies::transported);
    }

    private static <T> Tuple2<Integer, Arbitrary<? extends T>> kind(int weight, Arbitrary<T> arbitrary) {
        return Tuple.of(weight, arbitrary);
    }

    private record Tagged(String kind, String body) {
    }

    private static Arbitrary<Tagged> tagged(String kind, Arbitrary<String> bodies) {
        return bodies.map(body -> new Tagged(kind, body));
    }

    /** The route, headers and encoding: mostly plain JSON, sometimes gzip, sometimes raw bytes in base64. */
    private static Arbitrary<FuzzRequest> transported(Tagged tagged) {
        Arbitrary<IngestRoute> route = Arbitraries.of(IngestRoute.values());
        Arbitrary<String> depth = Arbitraries.oneOf(Arbitraries.just(""), Arbitraries.strings().numeric().ofMaxLength(30),
                Arbitraries.of("-1", "2147483648", "99999999999999999999", "1e3", " 12", "0x10", "12abc"));
        Arbitrary<Integer> transport = Arbitraries.frequency(weighted(80, 0), weighted(8, 1), weighted(12, 2));
        return Combinators.combine(route, depth, transport, invalidUtf8Bytes()).as((r, d, t, bad) -> {
            Map<String, String> headers = new HashMap<>();
            headers.put("content-type", "application/json");
            if (!d.isEmpty()) {
                headers.put("x-client-queue-depth", d);
            }
            byte[] bytes = tagged.body().getBytes(StandardCharsets.UTF_8);
            return switch (t) {
                case 1 -> {
                    headers.put("content-encoding", "gzip");
                    yield new FuzzRequest(r, Base64.getEncoder().encodeToString(gzip(bytes)), true, headers,
                            tagged.kind() + " (gzip)");
                }
                case 2 -> new FuzzRequest(r, Base64.getEncoder().encodeToString(spliceBytes(bytes, bad)), true, headers,
                        tagged.kind() + " (invalid UTF-8)");
                default -> new FuzzRequest(r, tagged.body(), false, headers, tagged.kind());
            };
        });
    }

    private static <T> Tuple2<Integer, T> weighted(int weight, T value) {
        return Tuple.of(weight, value);
    }

    /** Byte sequences that are not UTF-8: stray continuation bytes, overlong forms, encoded surrogates, F8+. */
    private static Arbitrary<byte[]> invalidUtf8Bytes() {
        return Arbitraries.of(
                new byte[] {(byte) 0x80}, new byte[] {(byte) 0xC0, (byte) 0x80}, new byte[] {(byte) 0xC3},
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80},
                new byte[] {(byte) 0xFF, (byte) 0xFE}, new byte[] {(byte) 0xE2, (byte) 0x82},
                new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, new byte[] {0});
    }

    /** The bytes with the bad sequence in the middle: inside a string value when the middle is one. */
    private static byte[] spliceBytes(byte[] body, byte[] bad) {
        int at = body.length / 2;
        byte[] out = new byte[body.length + bad.length];
        System.arraycopy(body, 0, out, 0, at);
        System.arraycopy(bad, 0, out, at, bad.length);
        System.arraycopy(body, at, out, at + bad.length, body.length - at);
        return out;
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    // ---- number literals -------------------------------------------------------------------------------

    /** Every shape: signs, leading zeros, long mantissas, fractions, exponents small, huge and malformed. */
    static Arbitrary<String> numberLiteral() {
        Arbitrary<String> sign = Arbitraries.of("", "", "-", "+");
        Arbitrary<String> integer = Arbitraries.oneOf(Arbitraries.of("0", "1", "00", "50", "100", "86400", "2147483648"),
                digits(1, 20), digits(90, 130));
        Arbitrary<String> fraction = Arbitraries.oneOf(Arbitraries.just(""), Arbitraries.just("."),
                digits(1, 20).map(d -> "." + d), digits(80, 120).map(d -> "." + d));
        Arbitrary<String> exponentDigits = Arbitraries.oneOf(digits(0, 4), digits(5, 12),
                Arbitraries.of("999", "1000", "1001", "0001000", "99999999", "999999999", "2147483647", "2147483648",
                        "4294967296", "9223372036854775808", "00000000000000000000001"));
        Arbitrary<String> exponent = Arbitraries.oneOf(Arbitraries.just(""),
                Combinators.combine(Arbitraries.of("e", "E"), Arbitraries.of("", "+", "-", "-", "--"), exponentDigits)
                        .as((e, s, d) -> e + s + d));
        return Arbitraries.oneOf(
                Combinators.combine(sign, integer, fraction, exponent).as((s, i, f, e) -> s + i + f + e),
                Arbitraries.of("NaN", "Infinity", "-Infinity", ".5", "5.", "0x1F", "1_000", "1e", "-", "1.5e+", "-0",
                        "-0.0e-0", "1e-999999999", "5e-99999999", "1E+2147483647", "4.9e-324", "1.7976931348623157e308"));
    }

    private static Arbitrary<String> digits(int min, int max) {
        return Arbitraries.strings().withCharRange('0', '9').ofMinLength(min).ofMaxLength(max);
    }

    /** A valid event except one numeric field (or a properties value, or an unknown field) set to a literal. */
    private static Arbitrary<String> numberInAField() {
        return Combinators.combine(Arbitraries.of("progressPercent", "timeSpentSeconds", "properties", "unknown", "root"),
                numberLiteral(), eventIds()).as((field, literal, id) -> switch (field) {
                    case "progressPercent" -> batch(progress(id).replace("\"progressPercent\":50",
                            "\"progressPercent\":" + literal));
                    case "timeSpentSeconds" -> batch(progress(id).replace("\"timeSpentSeconds\":30",
                            "\"timeSpentSeconds\":" + literal));
                    case "properties" -> batch(analytics(id, "{\"v\":" + literal + ",\"list\":[" + literal + "]}"));
                    case "unknown" -> batch(progress(id).replace("{", "{\"extra\":" + literal + ","));
                    default -> literal;
                });
    }

    // ---- structure -------------------------------------------------------------------------------------

    /** Any JSON value with nesting up to {@code depth}: the base case is a scalar. */
    static Arbitrary<String> jsonValue(int depth) {
        Arbitrary<String> scalar = Arbitraries.oneOf(numberLiteral(), jsonString(40),
                Arbitraries.of("true", "false", "null", "\"lesson_progress\"", "\"" + OCCURRED_AT + "\""));
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<String> child = Arbitraries.lazy(() -> jsonValue(depth - 1));
        Arbitrary<String> array = child.list().ofMaxSize(4).map(items -> "[" + String.join(",", items) + "]");
        Arbitrary<String> key = Arbitraries.oneOf(Arbitraries.of("eventId", "type", "courseId", "lessonId",
                "progressPercent", "timeSpentSeconds", "occurredAt", "name", "properties", "userId", "events"),
                jsonString(12).map(s -> s.substring(1, s.length() - 1)));
        Arbitrary<String> object = Combinators.combine(key, child).as((k, v) -> "\"" + k + "\":" + v)
                .list().ofMaxSize(5).map(fields -> "{" + String.join(",", fields) + "}");
        return Arbitraries.frequencyOf(kind(4, scalar), kind(2, array), kind(3, object));
    }

    private static Arbitrary<String> deepNesting() {
        return Combinators.combine(Arbitraries.integers().between(1, 300), Arbitraries.of("[", "{\"a\":"),
                Arbitraries.of("1", "1e-999999999", "\"x\"", "", "[]"), Arbitraries.of(true, false))
                .as((depth, open, leaf, insideEvent) -> {
                    String close = open.equals("[") ? "]" : "}";
                    String nested = open.repeat(depth) + leaf + close.repeat(depth);
                    return insideEvent ? batch(analytics("ana-deep-0001", "{\"n\":" + nested + "}")) : nested;
                });
    }

    private static Arbitrary<String> wideObject() {
        return Combinators.combine(sizes(500, 25_000), Arbitraries.of(true, false))
                .as((width, inProperties) -> {
                    StringBuilder fields = new StringBuilder("{");
                    for (int i = 0; i < width; i++) {
                        fields.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
                    }
                    fields.append('}');
                    return inProperties ? batch(analytics("ana-wide-0001", fields.toString())) : fields.toString();
                });
    }

    // ---- strings ---------------------------------------------------------------------------------------

    /** A JSON string literal of up to {@code maxPieces} pieces: text, escapes, lone surrogates, raw controls. */
    static Arbitrary<String> jsonString(int maxPieces) {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.strings().alpha().numeric().ofMaxLength(8),
                Arbitraries.strings().all().ofMaxLength(3).map(FuzzBodies::escapeQuotes),
                Arbitraries.of("\\n", "\\t", "\\\"", "\\\\", "\\/", "\\u0000", "\\u001f", "\\ud800", "\\udfff",
                        "\\ud83d\\ude00", "\\ude00\\ud83d", "\\x41", "\\u12", "\\", "\u0001", "\u2028", "é", "\uD83D\uDE00"),
                Arbitraries.integers().between(0, 0xFFFF).map(c -> String.format("\\u%04x", c)));
        return piece.list().ofMaxSize(maxPieces).map(pieces -> "\"" + String.join("", pieces) + "\"");
    }

    private static String escapeQuotes(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static Arbitrary<String> longString() {
        return Combinators.combine(sizes(20_000, 270_000), Arbitraries.of("x", "é", "\\u00e9",
                "\\ud800", "\\\\", "\\\""), Arbitraries.of("name", "eventId", "properties", "courseId", "key"))
                .as((length, unit, where) -> {
                    String text = unit.repeat(Math.max(1, length / unit.length()));
                    return switch (where) {
                        case "name" -> batch(analytics("ana-long-0001", "{}").replace("\"name\":\"quiz\"",
                                "\"name\":\"" + text + "\""));
                        case "eventId" -> batch(progress(text));
                        case "properties" -> batch(analytics("ana-long-0001", "{\"t\":\"" + text + "\"}"));
                        case "courseId" -> batch(progress("evt-long-0001").replace("\"course-101\"", "\"" + text + "\""));
                        default -> "{\"" + text + "\":1,\"events\":[]}";
                    };
                });
    }

    private static Arbitrary<String> escapes() {
        return Combinators.combine(jsonString(30), Arbitraries.of("name", "eventId", "properties", "key", "userId",
                "occurredAt", "type")).as((string, where) -> switch (where) {
                    case "name" -> batch(analytics("ana-esc-00001", "{}").replace("\"quiz\"", string));
                    case "eventId" -> batch(progress("evt-esc-00001").replace("\"evt-esc-00001\"", string));
                    case "properties" -> batch(analytics("ana-esc-00001", "{" + string + ":" + string + "}"));
                    case "userId" -> batch(progress("evt-esc-00001").replace("{", "{\"userId\":" + string + ","));
                    case "occurredAt" -> batch(progress("evt-esc-00001").replace("\"" + OCCURRED_AT + "\"", string));
                    case "type" -> batch(progress("evt-esc-00001").replace("\"lesson_progress\"", string));
                    default -> "{" + string + ":[]}";
                });
    }

    // ---- duplicates and sizes --------------------------------------------------------------------------

    private static Arbitrary<String> duplicateKeys() {
        return Combinators.combine(Arbitraries.of("eventId", "userId", "events", "progressPercent", "p", "name"),
                eventIds(), Arbitraries.of("root", "event", "properties")).as((key, id, where) -> switch (where) {
                    case "root" -> "{\"" + key + "\":1,\"events\":[" + progress(id) + "],\"" + key + "\":2}";
                    case "event" -> batch(progress(id).replace("{", "{\"" + key + "\":\"learner-0001\",\"" + key
                            + "\":\"learner-0002\","));
                    default -> batch(analytics(id, "{\"" + key + "\":1,\"" + key + "\":2}"));
                });
    }

    private static Arbitrary<String> bigArray() {
        return Combinators.combine(Arbitraries.integers().between(0, 130), sizes(2_000, 30_000),
                Arbitraries.of("events", "numbers", "nested")).as((events, numbers, what) -> switch (what) {
                    case "events" -> {
                        StringBuilder b = new StringBuilder("{\"events\":[");
                        for (int i = 0; i < events; i++) {
                            b.append(i == 0 ? "" : ",").append(progress("evt-big-" + String.format("%05d", i)));
                        }
                        yield b.append("]}").toString();
                    }
                    case "numbers" -> batch(analytics("ana-big-00001", "{\"n\":[" + "1.5e-300,".repeat(numbers)
                            + "0]}"));
                    default -> "{\"events\":[" + "[],".repeat(numbers) + "{}]}";
                });
    }

    // ---- near-valid ------------------------------------------------------------------------------------

    /** Batches of valid events with random ids and values: these reach the store. */
    private static Arbitrary<String> validishBatch() {
        Arbitrary<String> percent = Arbitraries.oneOf(Arbitraries.integers().between(0, 100).map(String::valueOf),
                Arbitraries.of("12.5", "33.333333333333336", "1e-7", "0.1e2", "99.995", "100.0"));
        Arbitrary<String> event = Combinators.combine(eventIds(), percent, Arbitraries.integers().between(0, 86_400),
                Arbitraries.of(true, false), jsonValue(2))
                .as((id, p, seconds, isProgress, props) -> isProgress
                        ? progress(id).replace("\"progressPercent\":50", "\"progressPercent\":" + p)
                                .replace("\"timeSpentSeconds\":30", "\"timeSpentSeconds\":" + seconds)
                        : analytics(id, "{\"p\":" + props + "}"));
        return event.list().ofMinSize(1).ofMaxSize(8).map(events -> batch(events.toArray(String[]::new)));
    }

    /** A valid batch with a few random byte edits: truncations, insertions, swaps. */
    private static Arbitrary<String> mutatedBatch() {
        Arbitrary<String> edit = Arbitraries.of("{", "}", "[", "]", ",", ":", "\"", "\\", "e", "-", "1e999999999", " ",
                "", "null", "\u0000");
        return Combinators.combine(validishBatch(), Arbitraries.doubles().between(0, 1).list().ofMinSize(1).ofMaxSize(4),
                edit.list().ofMinSize(1).ofMaxSize(4)).as((body, positions, edits) -> {
                    StringBuilder b = new StringBuilder(body);
                    for (int i = 0; i < Math.min(positions.size(), edits.size()); i++) {
                        int at = (int) (positions.get(i) * b.length());
                        int cut = Math.min(b.length(), at + (i % 2));
                        b.replace(at, cut, edits.get(i));
                    }
                    return b.toString();
                });
    }

    /** Mostly up to {@code usual}, one in twenty up to {@code rare}: big bodies are costly to generate. */
    private static Arbitrary<Integer> sizes(int usual, int rare) {
        return Arbitraries.frequencyOf(kind(19, Arbitraries.integers().between(1, usual)),
                kind(1, Arbitraries.integers().between(usual, rare)));
    }

    private static Arbitrary<String> eventIds() {
        return Arbitraries.strings().withCharRange('a', 'z').numeric().ofMinLength(8).ofMaxLength(20)
                .map(s -> "fz-" + s);
    }

    static String progress(String eventId) {
        return IngestServiceTest.progress(eventId).replace("\n", "");
    }

    static String analytics(String eventId, String properties) {
        return "{\"eventId\":\"" + eventId + "\",\"name\":\"quiz\",\"occurredAt\":\"" + OCCURRED_AT
                + "\",\"properties\":" + properties + "}";
    }

    static String batch(String... events) {
        return IngestServiceTest.batch(events);
    }

}
