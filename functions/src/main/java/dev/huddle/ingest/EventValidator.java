package dev.huddle.ingest;

import com.fasterxml.jackson.databind.JsonNode;

/** Turns one element of a request into a valid event or a rejection reason. Thread-safe. */
public interface EventValidator<T> {

    Validation<T> validate(JsonNode element);
}
