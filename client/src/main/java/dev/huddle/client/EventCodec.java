package dev.huddle.client;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** The events' wire JSON (the contract's field names) and the gzip-compressed batch body. */
final class EventCodec {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private EventCodec() {
    }

    static byte[] toJson(ProgressEvent event) {
        ObjectNode json = MAPPER.createObjectNode()
                .put("eventId", event.eventId())
                .put("type", event.type().wireName())
                .put("courseId", event.courseId())
                .put("lessonId", event.lessonId())
                .put("progressPercent", event.progressPercent())
                .put("timeSpentSeconds", event.timeSpentSeconds())
                .put("occurredAt", event.occurredAt().toString());
        return bytes(json);
    }

    static byte[] toJson(AnalyticsEvent event) {
        ObjectNode json = MAPPER.createObjectNode()
                .put("eventId", event.eventId())
                .put("name", event.name());
        if (event.courseId() != null) {
            json.put("courseId", event.courseId());
        }
        if (event.lessonId() != null) {
            json.put("lessonId", event.lessonId());
        }
        if (!event.properties().isEmpty()) {
            json.set("properties", MAPPER.valueToTree(event.properties()));
        }
        json.put("occurredAt", event.occurredAt().toString());
        return bytes(json);
    }

    /** The event id inside stored JSON (null if the record holds none). */
    static String eventId(byte[] json) {
        try {
            JsonNode id = MAPPER.readTree(json).get("eventId");
            return id == null || id.isNull() ? null : id.asText();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * {@code {"events":[...]}} with each event's stored JSON copied verbatim, gzip-compressed. Its size before
     * compression is what {@link BatchCutter} computed.
     */
    static byte[] gzippedBatch(List<QueuedEvent> events) {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (OutputStream gzip = new GZIPOutputStream(compressed);
                JsonGenerator generator = MAPPER.getFactory().createGenerator(gzip)) {
            writeBatch(generator, events);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return compressed.toByteArray();
    }

    /** The uncompressed body (tests compare its size with the cutter's arithmetic). */
    static byte[] batch(List<QueuedEvent> events) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (JsonGenerator generator = MAPPER.getFactory().createGenerator(body)) {
            writeBatch(generator, events);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return body.toByteArray();
    }

    private static void writeBatch(JsonGenerator generator, List<QueuedEvent> events) throws IOException {
        generator.writeStartObject();
        generator.writeArrayFieldStart("events");
        for (QueuedEvent event : events) {
            generator.writeRawValue(new String(event.json(), java.nio.charset.StandardCharsets.UTF_8));
        }
        generator.writeEndArray();
        generator.writeEndObject();
    }

    private static byte[] bytes(JsonNode json) {
        try {
            return MAPPER.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
