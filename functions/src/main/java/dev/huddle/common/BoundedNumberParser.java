package dev.huddle.common;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import java.io.IOException;

/**
 * Checks the exponent of every number literal while the tree reader pulls tokens, on the literal's
 * characters and before anything converts it to a number (see {@link Json#readBoundedTree}). Every token
 * reaches the tree reader through {@link #nextToken()} or {@link #nextValue()}; the other "next" methods
 * of {@link JsonParser} are built on {@code nextToken()}.
 */
final class BoundedNumberParser extends JsonParserDelegate {

    BoundedNumberParser(JsonParser delegate) {
        super(delegate);
    }

    @Override
    public JsonToken nextToken() throws IOException {
        return checked(super.nextToken());
    }

    @Override
    public JsonToken nextValue() throws IOException {
        return checked(super.nextValue());
    }

    private JsonToken checked(JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NUMBER_FLOAT
                && !exponentWithinBound(getTextCharacters(), getTextOffset(), getTextLength(), Json.MAX_EXPONENT)) {
            throw new NumberLimitException(currentLocation());
        }
        return token;
    }

    /**
     * True when the literal has no exponent or one of magnitude at most {@code bound}; leading zeros of the
     * exponent do not count ({@code 1e-0005} is {@code 1e-5}). Only float tokens can have an exponent.
     */
    static boolean exponentWithinBound(char[] text, int offset, int length, int bound) {
        int end = offset + length;
        int i = offset;
        while (i < end && text[i] != 'e' && text[i] != 'E') {
            i++;
        }
        if (i == end) {
            return true;
        }
        i++;
        if (i < end && (text[i] == '+' || text[i] == '-')) {
            i++;
        }
        while (i < end && text[i] == '0') {
            i++;
        }
        long exponent = 0;
        for (; i < end; i++) {
            exponent = exponent * 10 + (text[i] - '0');
            if (exponent > bound) {
                return false;
            }
        }
        return true;
    }
}
