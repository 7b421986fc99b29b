package dev.huddle.common;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;

/**
 * A body breaks one of the limits {@link BoundedJsonParser} adds to Jackson's own; {@link #reason()} says which,
 * in words a client can act on.
 */
public final class JsonLimitException extends StreamConstraintsException {
    private static final long serialVersionUID = 1L;

    private final String reason;

    private JsonLimitException(String reason, JsonLocation location) {
        super(reason, location);
        this.reason = reason;
    }

    static JsonLimitException exponent(JsonLocation location) {
        return new JsonLimitException("A number in the body has an exponent beyond +/-" + Json.MAX_EXPONENT, location);
    }

    static JsonLimitException entries(JsonLocation location) {
        return new JsonLimitException("An object or array in the body has more than " + Json.MAX_CONTAINER_ENTRIES
                + " entries", location);
    }

    public String reason() {
        return reason;
    }
}
