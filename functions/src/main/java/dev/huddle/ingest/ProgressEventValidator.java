package dev.huddle.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;

/**
 * Validates one ProgressEvent against the contract. Unknown fields are ignored so older servers accept
 * newer clients. The first failing rule decides the reason; the eventId is checked first so that every
 * later rejection can name the event.
 */
final class ProgressEventValidator implements EventValidator<ProgressEvent> {
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    /** Hundredths of a percent are more precision than any player reports. */
    private static final int PERCENT_SCALE = 2;
    /** The power of ten of 100's leading digit: a larger magnitude is over 100 without comparing. */
    private static final long MAX_PERCENT_MAGNITUDE = 2;
    private static final int MAX_TIME_SPENT_SECONDS = 86_400;

    private final FieldRules rules;

    public ProgressEventValidator(IngestConfig config, Clock clock) {
        this.rules = new FieldRules(config, clock);
    }

    @Override
    public ProgressEvent fields(String eventId, JsonNode element) {
        ProgressEvent.Type type = type(element);
        String courseId = FieldRules.requiredId(element, "courseId",
                RejectionReason.MISSING_COURSE_ID, RejectionReason.INVALID_COURSE_ID);
        String lessonId = FieldRules.requiredId(element, "lessonId",
                RejectionReason.MISSING_LESSON_ID, RejectionReason.INVALID_LESSON_ID);
        BigDecimal progressPercent = progressPercent(element, type);
        int timeSpentSeconds = timeSpentSeconds(element);
        Instant occurredAt = rules.occurredAt(element);
        return new ProgressEvent(eventId, type, courseId, lessonId, progressPercent,
                timeSpentSeconds, occurredAt);
    }

    private static ProgressEvent.Type type(JsonNode element) {
        JsonNode value = element.get("type");
        if (value != null && value.isTextual()) {
            for (ProgressEvent.Type type : ProgressEvent.Type.values()) {
                if (type.wireName().equals(value.textValue())) {
                    return type;
                }
            }
        }
        throw new EventRejected(RejectionReason.INVALID_TYPE);
    }

    /**
     * Required for lesson_progress. A lesson_completed event means 100 % whatever is sent (openapi.yaml):
     * completions from older clients that send 0 or nothing must still count.
     */
    private static BigDecimal progressPercent(JsonNode element, ProgressEvent.Type type) {
        if (type == ProgressEvent.Type.LESSON_COMPLETED) {
            return HUNDRED;
        }
        JsonNode value = element.get("progressPercent");
        // The parser refuses NaN/Infinity and reads floats as BigDecimal, so every number here is finite.
        if (FieldRules.isAbsent(value) || !value.isNumber()) {
            throw new EventRejected(RejectionReason.INVALID_PROGRESS_PERCENT);
        }
        BigDecimal percent = value.decimalValue();
        // Digits, scale and magnitude first (no arithmetic), so the comparison and the rounding below
        // work on at most a hundred digits and a scale of about a thousand: microseconds.
        if (!NumberRules.isBounded(percent) || percent.signum() < 0
                || NumberRules.magnitude(percent) > MAX_PERCENT_MAGNITUDE || percent.compareTo(HUNDRED) > 0) {
            throw new EventRejected(RejectionReason.INVALID_PROGRESS_PERCENT);
        }
        BigDecimal rounded = percent.setScale(PERCENT_SCALE, RoundingMode.HALF_UP).stripTrailingZeros();
        // stripTrailingZeros turns 50 into 5E+1; keep a plain scale so the JSON sent on reads "50".
        return rounded.scale() < 0 ? rounded.setScale(0) : rounded;
    }

    /** Optional, default 0; an integer literal (12.5, 1e3 and "12" are refused) in 0–86,400. */
    private static int timeSpentSeconds(JsonNode element) {
        JsonNode value = element.get("timeSpentSeconds");
        if (FieldRules.isAbsent(value)) {
            return 0;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new EventRejected(RejectionReason.INVALID_TIME_SPENT_SECONDS);
        }
        int seconds = value.intValue();
        if (seconds < 0 || seconds > MAX_TIME_SPENT_SECONDS) {
            throw new EventRejected(RejectionReason.INVALID_TIME_SPENT_SECONDS);
        }
        return seconds;
    }
}
