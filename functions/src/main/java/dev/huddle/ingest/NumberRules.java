package dev.huddle.ingest;

import dev.huddle.common.Json;
import java.math.BigDecimal;

/**
 * The checks every numeric field makes before any arithmetic on its value. They look only at a number's
 * digit count and scale (two ints BigDecimal already holds), never compute with it: a BigDecimal of scale
 * 999,999,999 compares and rounds by building a power of ten with a billion digits. Bodies read through
 * {@link Json#readBoundedTree} are inside these bounds already; validators check again because they also
 * serve trees built elsewhere.
 */
final class NumberRules {
    /** Digits of one number: a literal has at most {@link Json#MAX_NUMBER_LENGTH} characters. */
    static final int MAX_DIGITS = Json.MAX_NUMBER_LENGTH;
    /** Scale (digits after the point, negative for a positive exponent) a bounded literal can reach. */
    static final int MAX_SCALE = Json.MAX_EXPONENT + Json.MAX_NUMBER_LENGTH;

    private NumberRules() {
    }

    /** True when the digit count and the scale are within the bounds of a literal the JSON reader accepts. */
    static boolean isBounded(BigDecimal number) {
        return number.precision() <= MAX_DIGITS && Math.abs((long) number.scale()) <= MAX_SCALE;
    }

    /**
     * The power of ten of the leading digit (1234.5 → 3, 0.05 → -2, 0 → -1 - scale), in long: for a
     * scale near Integer.MIN_VALUE the int difference {@code precision - scale} overflows.
     */
    static long magnitude(BigDecimal number) {
        return (long) number.precision() - number.scale() - 1;
    }
}
