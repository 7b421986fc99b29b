package dev.huddle.rollup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.huddle.common.Json;
import java.util.Optional;
import java.util.regex.Pattern;

/** The body of a rollup job message: {@code {"orgId": "org-1"}}. */
public record RollupJobMessage(String orgId) {
    /** Org ids are short opaque tokens; anything else in a body is a malformed message. */
    private static final Pattern ORG_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}");

    public RollupJobMessage {
        if (orgId == null || !ORG_ID.matcher(orgId).matches()) {
            throw new IllegalArgumentException("orgId must be 1-100 characters [A-Za-z0-9_.:-]");
        }
    }

    public String toJson() {
        return Json.mapper().createObjectNode().put("orgId", orgId).toString();
    }

    /** The message of a body, or empty when the body is not a job (not JSON, no valid orgId). */
    public static Optional<RollupJobMessage> parse(String body) {
        if (body == null) {
            return Optional.empty();
        }
        try {
            JsonNode orgId = Json.mapper().readTree(body).path("orgId");
            if (!orgId.isTextual() || !ORG_ID.matcher(orgId.textValue()).matches()) {
                return Optional.empty();
            }
            return Optional.of(new RollupJobMessage(orgId.textValue()));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }
}
