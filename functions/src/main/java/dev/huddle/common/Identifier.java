package dev.huddle.common;

import java.util.regex.Pattern;

/**
 * The contract's {@code Identifier} (openapi.yaml, components.schemas.Identifier): 1–128 characters of
 * {@code [A-Za-z0-9._:-]}. One rule for every id the system keys on (course, lesson and org ids), so an
 * org the ingest path accepts is an org the rollup pipeline can queue, and nothing the rollups refuse can
 * get in.
 */
public final class Identifier {
    public static final int MAX_LENGTH = 128;
    private static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_LENGTH + "}");

    private Identifier() {
    }

    public static boolean isValid(String value) {
        return value != null && PATTERN.matcher(value).matches();
    }
}
