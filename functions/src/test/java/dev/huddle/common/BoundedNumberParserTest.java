package dev.huddle.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BoundedNumberParserTest {
    private static final ObjectReader READER = Json.mapper().reader()
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    @ParameterizedTest
    @CsvSource({"1, true", "1.5, true", "1e1000, true", "1E-1000, true", "1e+0001000, true", "-0.5e-00000000000000000999, true",
            "1e1001, false", "1e-1001, false", "1e2147483648, false", "1e-99999999999999999999, false"})
    void boundsTheWrittenExponent_ignoringItsLeadingZeros(String literal, boolean within) {
        char[] text = ("xx" + literal + "yy").toCharArray();
        assertThat(BoundedNumberParser.exponentWithinBound(text, 2, literal.length(), 1000)).isEqualTo(within);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e-999999999", "[1,2,1e-999999999]", "{\"a\":{\"b\":1e999999999}}", "{\"a\":[{\"b\":[0e-2000]}]}"})
    void refusesAHugeExponent_atTheRootInArraysAndInObjects(String json) {
        assertThatThrownBy(() -> Json.readBoundedTree(READER, json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(NumberLimitException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e1000", "[1,2,1e-1000]", "{\"a\":{\"b\":-4.9e-324}}", "{\"a\":[{\"b\":[12345678901234567890]}]}"})
    void readsNumbersWithinTheBounds(String json) throws Exception {
        assertThat(Json.readBoundedTree(READER, json.getBytes(StandardCharsets.UTF_8)).toString()).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1,\"a\":2}", "[1,]", "{\"a\":1e}"})
    void keepsJacksonsOwnChecks(String json) {
        assertThatThrownBy(() -> Json.readBoundedTree(READER, json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(java.io.IOException.class)
                .isNotInstanceOf(NumberLimitException.class);
    }
}
