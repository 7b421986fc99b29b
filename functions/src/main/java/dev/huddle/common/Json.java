package dev.huddle.common;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * The one Jackson mapper of the functions: built once, thread-safe, strict about what it reads.
 *
 * <p>Request bodies are read with {@link #readBoundedTree}, which adds two limits Jackson does not have.
 * The first is the size of a number literal's exponent. Jackson bounds the count of a literal's characters
 * ({@value #MAX_NUMBER_LENGTH}), but {@code 1e-999999999} is 12 characters and becomes a BigDecimal of
 * scale 999,999,999 that any later arithmetic (rounding, comparison with another scale, a database
 * numeric) turns into a billion-digit computation or an {@code ArithmeticException}; exponents beyond
 * ±2^31 do not even convert ({@code NumberFormatException} inside the tree reader). With both bounds every
 * number in a body has at most {@value #MAX_NUMBER_LENGTH} digits and a scale within
 * ±({@value #MAX_EXPONENT} + {@value #MAX_NUMBER_LENGTH}), so any arithmetic on it costs microseconds, and
 * it fits PostgreSQL's numeric (16,383 digits after the point, 131,072 before).
 *
 * <p>The second is the entries of any one object or array ({@value #MAX_CONTAINER_ENTRIES}), so a
 * wide container is refused while it is read rather than after it has been built.
 */
public final class Json {
    /** Deeper than any event (an event is 3 levels, properties a few more); bounds recursion. */
    public static final int MAX_NESTING_DEPTH = 64;
    /** Characters of one number literal, sign, point and exponent included. */
    public static final int MAX_NUMBER_LENGTH = 100;
    /**
     * The largest exponent a number literal may write ({@code 1e1000}, {@code 1e-1000}): every IEEE double
     * (4.9e-324 to 1.8e308) is far inside, so no client's serializer ever reaches it.
     */
    public static final int MAX_EXPONENT = 1_000;
    /**
     * Entries of one object or array. No storable body comes near it: a batch holds at most 100 events, an
     * event a dozen fields, and {@code properties} at most 8 KB serialized, which is at most 1,639 members
     * ({@code "":0,} is 5 bytes) or 4,096 array elements ({@code 0,}). A 180 KB object of 25,000 members
     * used to be built whole, and re-serialized to measure it, before the properties limit refused it: about
     * 12 ms of CPU on a quiet machine and 25 ms on a busy one (IngestFuzzTest).
     */
    public static final int MAX_CONTAINER_ENTRIES = 4_096;

    /**
     * Field names are not interned: {@code String.intern} of every distinct name made a 200 KB body of
     * 24,000 distinct keys cost about 35 ms of CPU instead of 7 (IngestFuzzTest found it), and it would fill
     * the JVM's string table with names chosen by clients. Names are still canonicalized per parser.
     */
    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .disable(JsonFactory.Feature.INTERN_FIELD_NAMES).build())
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    static {
        // Bound nesting and number length so hostile bodies cost little to reject; string and name lengths
        // and the token count are bounded by the body's byte limit (MAX_BODY_BYTES).
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .build());
    }

    private Json() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Reads a request body into a tree with every limit of this class: a literal beyond the exponent bound,
     * or a container beyond the entry bound, fails with {@link JsonLimitException} as soon as it is read.
     * Every other violation (syntax, nesting, number length, duplicate keys when the reader refuses them)
     * is the {@link IOException} Jackson throws.
     *
     * @return the root node, or null for a body with no JSON value
     */
    public static JsonNode readBoundedTree(ObjectReader reader, byte[] body) throws IOException {
        try (JsonParser parser = new BoundedJsonParser(reader.createParser(body))) {
            return reader.readTree(parser);
        }
    }
}
