package dev.huddle.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BoundedJsonParserTest {
    private static final ObjectReader READER = Json.mapper().reader()
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    @ParameterizedTest
    @CsvSource({"1, true", "1.5, true", "1e1000, true", "1E-1000, true", "1e+0001000, true", "-0.5e-00000000000000000999, true",
            "1e1001, false", "1e-1001, false", "1e2147483648, false", "1e-99999999999999999999, false"})
    void boundsTheWrittenExponent_ignoringItsLeadingZeros(String literal, boolean within) {
        char[] text = ("xx" + literal + "yy").toCharArray();
        assertThat(BoundedJsonParser.exponentWithinBound(text, 2, literal.length(), 1000)).isEqualTo(within);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e-999999999", "[1,2,1e-999999999]", "{\"a\":{\"b\":1e999999999}}", "{\"a\":[{\"b\":[0e-2000]}]}"})
    void refusesAHugeExponent_atTheRootInArraysAndInObjects(String json) {
        assertThatThrownBy(() -> Json.readBoundedTree(READER, json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(JsonLimitException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e1000", "[1,2,1e-1000]", "{\"a\":{\"b\":-4.9e-324}}", "{\"a\":[{\"b\":[12345678901234567890]}]}"})
    void readsNumbersWithinTheBounds(String json) throws Exception {
        assertThat(Json.readBoundedTree(READER, json.getBytes(StandardCharsets.UTF_8)).toString()).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"[%s]", "{\"a\":[%s]}", "[[0],[%s]]"})
    void refusesAnArrayOfMoreEntriesThanTheBound_whereverItIs(String template) {
        assertThatThrownBy(() -> read(template.formatted(elements(Json.MAX_CONTAINER_ENTRIES + 1))))
                .isInstanceOf(JsonLimitException.class)
                .hasMessageContaining("more than " + Json.MAX_CONTAINER_ENTRIES + " entries");
    }

    @ParameterizedTest
    @ValueSource(strings = {"%s", "{\"a\":%s}", "[1,%s]"})
    void refusesAnObjectOfMoreMembersThanTheBound_whereverItIs(String template) {
        assertThatThrownBy(() -> read(template.formatted(members(Json.MAX_CONTAINER_ENTRIES + 1))))
                .isInstanceOf(JsonLimitException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[%s]", "{\"a\":[%s]}", "[[0],[%s]]"})
    void readsContainersAtTheBound(String template) throws Exception {
        String full = template.formatted(elements(Json.MAX_CONTAINER_ENTRIES));
        assertThat(read(full).toString()).isEqualTo(full);
        assertThat(read(members(Json.MAX_CONTAINER_ENTRIES)).size()).isEqualTo(Json.MAX_CONTAINER_ENTRIES);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1,\"a\":2}", "[1,]", "{\"a\":1e}"})
    void keepsJacksonsOwnChecks(String json) {
        assertThatThrownBy(() -> Json.readBoundedTree(READER, json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(JsonLimitException.class);
    }

    private static JsonNode read(String json) throws IOException {
        return Json.readBoundedTree(READER, json.getBytes(StandardCharsets.UTF_8));
    }

    private static String elements(int count) {
        return String.join(",", Collections.nCopies(count, "0"));
    }

    private static String members(int count) {
        return IntStream.range(0, count).mapToObj(i -> "\"k" + i + "\":0")
                .collect(Collectors.joining(",", "{", "}"));
    }
}
