package dev.huddle.perf.loadtest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.huddle.common.Json;
import dev.huddle.sql.DemoData;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * Builds the request bodies of the load: valid events against the demo data, each with an event id
 * {@code <prefix><n>} unique in the run, so the database rows of a run can be counted by their prefix.
 * Not thread-safe (one plan is built on one thread).
 */
final class EventBodies {
    private static final String[] ANALYTICS_NAMES = {"lesson_viewed", "video_played", "quiz_answered"};

    private final String eventIdPrefix;
    private final SplittableRandom random;
    private long nextEvent;

    EventBodies(String eventIdPrefix, long seed) {
        this.eventIdPrefix = eventIdPrefix;
        this.random = new SplittableRandom(seed);
    }

    /** {@code {"events": [...]}} with {@code count} events of the route's kind for the learner. */
    byte[] batch(LoadRoute route, DemoData.Learner learner, int count, Instant now) {
        ObjectNode body = Json.mapper().createObjectNode();
        ArrayNode events = body.putArray("events");
        for (int i = 0; i < count; i++) {
            String courseId = learner.courseId(random.nextInt(DemoData.COURSES_PER_ORG));
            String lessonId = DemoData.lessonId(courseId, random.nextInt(DemoData.LESSONS_PER_COURSE));
            // Happened during the last flush interval, as a client's queued events did.
            String occurredAt = now.minusMillis(random.nextInt(10_000)).toString();
            ObjectNode event = events.addObject().put("eventId", eventIdPrefix + nextEvent++);
            if (route == LoadRoute.PROGRESS) {
                boolean completed = random.nextInt(10) == 0;
                event.put("type", completed ? "lesson_completed" : "lesson_progress")
                        .put("courseId", courseId)
                        .put("lessonId", lessonId)
                        .put("progressPercent", completed ? 100 : random.nextInt(100))
                        .put("timeSpentSeconds", random.nextInt(600))
                        .put("occurredAt", occurredAt);
            } else {
                event.put("name", ANALYTICS_NAMES[random.nextInt(ANALYTICS_NAMES.length)])
                        .put("courseId", courseId)
                        .put("lessonId", lessonId)
                        .put("occurredAt", occurredAt)
                        .putObject("properties").put("positionSeconds", random.nextInt(900));
            }
        }
        try {
            return Json.mapper().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a generated body could not be serialized", e);
        }
    }

    long eventsBuilt() {
        return nextEvent;
    }
}
