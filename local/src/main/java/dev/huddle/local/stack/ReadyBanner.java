package dev.huddle.local.stack;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.huddle.common.Json;
import dev.huddle.local.StartupProgress;
import dev.huddle.local.docs.ApiDocs;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/** The block printed once the stack is up: where it is, how to get a token, a request to try, how to stop. */
final class ReadyBanner {
    private ReadyBanner() {
    }

    static String of(EmulatedStack stack, Path stateDirectory, Duration startup) {
        // The JVM running now: `java` on the PATH may be older than the jar's Java 21 bytecode.
        String java = ProcessHandle.current().info().command().orElse("java");
        String jar = java + " -jar local/target/local-stack.jar";
        String stateOption = stateDirectory.equals(Path.of(".local-stack").toAbsolutePath())
                ? "" : " --state-dir " + stateDirectory;
        String url = stack.baseUrl();
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        return String.join(System.lineSeparator(),
                "",
                "huddle-ingest local stack is ready in " + StartupProgress.seconds(startup) + " (JVM start to ready)",
                "  API        " + url + "  (POST " + String.join(", POST ", HttpApiRoutes.INGEST_PATHS) + ", GET "
                        + HttpApiRoutes.HEALTH_PATH + ", GET " + HttpApiRoutes.ADMIN_ROLLUPS_PATH + ")",
                "  Docs       " + url + ApiDocs.PATH + "  (the contract, openapi.yaml, rendered by Swagger UI)",
                "  Demo       " + url + "/demo/  (the browser client playing a lesson)",
                String.join(System.lineSeparator(), stack.services().entrySet().stream()
                        .map(service -> String.format("  %-10s %s", service.getKey(), service.getValue())).toList()),
                String.join(System.lineSeparator(), stack.background().descriptions().stream()
                        .map(line -> "  " + line).toList()),
                "  Token      TOKEN=$(" + jar + " token --user learner-0001" + stateOption + ")",
                "  Admin      ADMIN=$(" + jar + " token --user admin-1 --admin-org org-1" + stateOption + ")",
                "  Try        curl -s -X POST " + url + "/api/client/progress/batch \\",
                "               -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' \\",
                "               -d '" + sampleBatch() + "'",
                "             curl -s " + url + HttpApiRoutes.HEALTH_PATH,
                "             curl -s -H \"Authorization: Bearer $ADMIN\" \\",
                "               '" + url + "/api/admin/orgs/org-1/rollups?from=" + today + "&to=" + today + "'",
                "  Stop       Ctrl-C",
                "");
    }

    /** A one-event batch learner-0001 may send (org-1 assigns course-101), dated now. */
    private static String sampleBatch() {
        Map<String, Object> event = new java.util.LinkedHashMap<>();
        event.put("eventId", "demo-" + Instant.now().getEpochSecond());
        event.put("type", "lesson_progress");
        event.put("courseId", "course-101");
        event.put("lessonId", "course-101-lesson-01");
        event.put("progressPercent", 40);
        event.put("timeSpentSeconds", 60);
        event.put("occurredAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        try {
            return Json.mapper().writeValueAsString(Map.of("events", List.of(event)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
