package dev.huddle.rollup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.huddle.common.Identifier;
import dev.huddle.common.Json;
import java.util.Optional;

/**
 * The body of a rollup job message: {@code {"orgId": "org-1"}}. The org id follows the contract's
 * {@link Identifier} rule, the same as every id the API accepts; anything else in a body is a malformed
 * message.
 */
public record RollupJobMessage(String orgId) {

    public RollupJobMessage {
        if (!Identifier.isValid(orgId)) {
            throw new IllegalArgumentException("orgId must be an Identifier: 1-128 characters [A-Za-z0-9._:-]");
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
            if (!orgId.isTextual() || !Identifier.isValid(orgId.textValue())) {
                return Optional.empty();
            }
            return Optional.of(new RollupJobMessage(orgId.textValue()));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }
}
