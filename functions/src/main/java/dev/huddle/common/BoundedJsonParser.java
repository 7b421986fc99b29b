package dev.huddle.common;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import java.io.IOException;

/**
 * Adds two limits to Jackson's while the tree reader pulls tokens (see {@link Json#readBoundedTree}): the
 * exponent of every number literal, checked on the literal's characters before anything converts it to a
 * number, and the entries of every object and array, checked as each entry starts, so a container that
 * could never be stored is refused before the reader has built it. Every token reaches the tree reader
 * through {@link #nextToken()} or {@link #nextValue()}; the other "next" methods of {@link JsonParser} are
 * built on {@code nextToken()}.
 */
final class BoundedJsonParser extends JsonParserDelegate {

    BoundedJsonParser(JsonParser delegate) {
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
            throw JsonLimitException.exponent(currentLocation());
        }
        // The context's index is the 0-based position of the current entry: an object's field name, an
        // array's element (a token that opens a container reports the new, still empty context).
        if (getParsingContext().getCurrentIndex() >= Json.MAX_CONTAINER_ENTRIES) {
            throw JsonLimitException.entries(currentLocation());
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
