package dev.huddle.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.huddle.common.Identifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * The field rules both event kinds share. Each reader returns the value or throws {@link EventRejected}
 * with the contract's reason code.
 */
final class FieldRules {
    /** eventId: the idempotency key; 8–128 chars of a URL- and log-safe ASCII set. */
    private static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9._:-]{8,128}");
    /** Longer than any ISO-8601 instant with offset and nanoseconds; bounds the parser's work. */
    private static final int MAX_TIMESTAMP_CHARS = 64;

    private final Clock clock;
    private final Duration retention;
    private final Duration maxFutureSkew;

    FieldRules(IngestConfig config, Clock clock) {
        this.clock = clock;
        this.retention = Duration.ofDays(config.retentionDays());
        this.maxFutureSkew = config.maxFutureSkew();
    }

    static boolean isAbsent(JsonNode value) {
        return value == null || value.isNull() || value.isMissingNode();
    }

    static String eventId(JsonNode event) {
        JsonNode value = event.get("eventId");
        if (isAbsent(value)) {
            throw new EventRejected(RejectionReason.MISSING_EVENT_ID);
        }
        if (!value.isTextual() || !EVENT_ID.matcher(value.textValue()).matches()) {
            throw new EventRejected(RejectionReason.INVALID_EVENT_ID);
        }
        return value.textValue();
    }

    static String requiredId(JsonNode event, String field, String missingReason, String invalidReason) {
        JsonNode value = event.get(field);
        if (isAbsent(value)) {
            throw new EventRejected(missingReason);
        }
        return id(value, invalidReason);
    }

    static String optionalId(JsonNode event, String field, String invalidReason) {
        JsonNode value = event.get(field);
        return isAbsent(value) ? null : id(value, invalidReason);
    }

    /**
     * courseId and lessonId: the contract's Identifier ({@link Identifier}), which every real id
     * ("course-101-lesson-01") satisfies and keeps control characters, quotes, whitespace and unicode
     * look-alikes out of keys the database joins on.
     */
    private static String id(JsonNode value, String invalidReason) {
        if (!value.isTextual() || !Identifier.isValid(value.textValue())) {
            throw new EventRejected(invalidReason);
        }
        return value.textValue();
    }

    /** An ISO-8601 instant with an offset ("Z" or "+02:00") inside [now - retention, now + skew]. */
    Instant occurredAt(JsonNode event) {
        JsonNode value = event.get("occurredAt");
        if (isAbsent(value)) {
            throw new EventRejected(RejectionReason.MISSING_OCCURRED_AT);
        }
        if (!value.isTextual() || value.textValue().length() > MAX_TIMESTAMP_CHARS) {
            throw new EventRejected(RejectionReason.INVALID_OCCURRED_AT);
        }
        Instant occurredAt;
        try {
            occurredAt = OffsetDateTime.parse(value.textValue(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new EventRejected(RejectionReason.INVALID_OCCURRED_AT);
        }
        Instant now = clock.instant();
        if (occurredAt.isBefore(now.minus(retention))) {
            throw new EventRejected(RejectionReason.OCCURRED_AT_TOO_OLD);
        }
        if (occurredAt.isAfter(now.plus(maxFutureSkew))) {
            throw new EventRejected(RejectionReason.OCCURRED_AT_IN_FUTURE);
        }
        return occurredAt;
    }

    /**
     * True when the string can be stored as PostgreSQL text/jsonb as is: no NUL (text cannot hold it) and no
     * unpaired UTF-16 surrogate (no valid UTF-8 exists for it; a JSON escape like "\ud800" produces one).
     */
    static boolean isStorableText(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\u0000') {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
