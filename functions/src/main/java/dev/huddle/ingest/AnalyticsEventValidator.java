package dev.huddle.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.huddle.common.Json;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;

/**
 * Validates one AnalyticsEvent against the contract. Unknown top-level fields are ignored; the free-form
 * {@code properties} object is kept as sent once it is known to be storable in a jsonb column.
 */
final class AnalyticsEventValidator implements EventValidator<AnalyticsEvent> {
    private static final int MAX_NAME_CODE_POINTS = 100;

    private final FieldRules rules;
    private final int maxPropertiesBytes;

    public AnalyticsEventValidator(IngestConfig config, Clock clock) {
        this.rules = new FieldRules(config, clock);
        this.maxPropertiesBytes = config.maxPropertiesBytes();
    }

    @Override
    public AnalyticsEvent fields(String eventId, JsonNode element) {
        String name = name(element);
        String courseId = FieldRules.optionalId(element, "courseId", RejectionReason.INVALID_COURSE_ID);
        String lessonId = FieldRules.optionalId(element, "lessonId", RejectionReason.INVALID_LESSON_ID);
        ObjectNode properties = properties(element);
        Instant occurredAt = rules.occurredAt(element);
        return new AnalyticsEvent(eventId, name, courseId, lessonId, properties, occurredAt);
    }

    /** 1–100 characters (code points), none of them a control character. */
    private static String name(JsonNode element) {
        JsonNode value = element.get("name");
        if (FieldRules.isAbsent(value)) {
            throw new EventRejected(RejectionReason.MISSING_NAME);
        }
        if (!value.isTextual()) {
            throw new EventRejected(RejectionReason.INVALID_NAME);
        }
        String name = value.textValue();
        if (name.isEmpty() || !FieldRules.isStorableText(name)
                || name.codePointCount(0, name.length()) > MAX_NAME_CODE_POINTS
                || name.codePoints().anyMatch(Character::isISOControl)) {
            throw new EventRejected(RejectionReason.INVALID_NAME);
        }
        return name;
    }

    private ObjectNode properties(JsonNode element) {
        JsonNode value = element.get("properties");
        if (FieldRules.isAbsent(value)) {
            return null;
        }
        if (!value.isObject() || !isStorable(value)) {
            throw new EventRejected(RejectionReason.INVALID_PROPERTIES);
        }
        if (serializedSize(value) > maxPropertiesBytes) {
            throw new EventRejected(RejectionReason.PROPERTIES_TOO_LARGE);
        }
        return (ObjectNode) value;
    }

    /**
     * Every key and string storable as jsonb text, every number within {@link NumberRules}: at most 100
     * digits and a scale within ±1,100, far inside PostgreSQL numeric's 131,072 digits before and 16,383
     * after the point (a literal like 1e-99999 would otherwise fail inside the database).
     */
    private static boolean isStorable(JsonNode node) {
        if (node.isTextual()) {
            return FieldRules.isStorableText(node.textValue());
        }
        if (node.isNumber()) {
            return NumberRules.isBounded(node.decimalValue());
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!FieldRules.isStorableText(field.getKey()) || !isStorable(field.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (node.isArray()) {
            for (JsonNode item : node) {
                if (!isStorable(item)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static long serializedSize(JsonNode properties) {
        try {
            return Json.mapper().writeValueAsBytes(properties).length;
        } catch (JsonProcessingException e) {
            // A tree read by the same mapper always serializes; treat the impossible as unusable input.
            throw new EventRejected(RejectionReason.INVALID_PROPERTIES);
        }
    }
}
