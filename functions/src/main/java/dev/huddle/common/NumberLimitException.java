package dev.huddle.common;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;

/** A number literal in a body writes an exponent beyond {@link Json#MAX_EXPONENT}. */
public final class NumberLimitException extends StreamConstraintsException {
    private static final long serialVersionUID = 1L;

    NumberLimitException(JsonLocation location) {
        super("number literal exponent beyond +/-" + Json.MAX_EXPONENT, location);
    }
}
