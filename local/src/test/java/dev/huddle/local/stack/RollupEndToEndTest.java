package dev.huddle.local.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.huddle.common.Json;
import dev.huddle.devservers.SimpleDataSource;
import dev.huddle.local.jwt.TokenIssuer;
import dev.huddle.sql.DemoData;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The issue's acceptance scenario for rollups on the local stack: events for all three demo orgs posted
 * over HTTP show up in the admin rollups (read over HTTP with an admin token per org) with the counts
 * taken directly from the raw tables, within 60 seconds. The path is the real one: ingest queues a job
 * on ElasticMQ, the local event source mapping hands it to the rollup worker.
 */
class RollupEndToEndTest {
    private static final Duration ACCEPTANCE_LIMIT = Duration.ofSeconds(60);
    private static final List<String> ORGS = List.of("org-1", "org-2", "org-3");
    private static final int LEARNERS_PER_ORG = 4;

    private static EmulatedStack stack;
    private static TokenIssuer tokens;
    private static final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void useTheSharedStack() {
        stack = SharedTestStack.stack();
        tokens = SharedTestStack.tokens();
    }

    @Test
    void eventsOfAllThreeDemoOrgs_showUpInTheAdminRollups_asCountedFromTheRawTables_within60Seconds() throws Exception {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        // A day either side: events posted just before midnight UTC may be rolled up into the next day's query.
        LocalDate from = today.minusDays(1);
        LocalDate to = today.plusDays(1);
        for (String org : ORGS) {
            for (DemoData.Learner learner : learnersOf(org)) {
                postEvents(learner, org);
            }
        }
        Instant lastPostAnswered = Instant.now();

        long waitStarted = System.nanoTime();
        // On timeout Awaitility reports the last failed assertion: which org's rollups differ, and how.
        await("admin rollups of " + ORGS + " match the raw tables").atMost(ACCEPTANCE_LIMIT)
                .pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    for (String org : ORGS) {
                        assertThat(adminRollups(org, from, to)).as(org).isEqualTo(rawCounts(org, from, to));
                    }
                });
        Duration took = Duration.ofNanos(System.nanoTime() - waitStarted);

        System.out.printf("[rollup e2e] events of %d orgs in the admin rollups %d ms after the last post was"
                + " answered (%d ms including the checks since then)%n", ORGS.size(), took.toMillis(),
                Duration.between(lastPostAnswered, Instant.now()).toMillis());
        for (String org : ORGS) {
            Map<String, DayCounts> rollups = adminRollups(org, from, to);
            assertThat(rollups.get(today.toString()).eventsTotal()).as(org + " today").isPositive();
            assertThat(rollups.get(today.toString()).coursesCompleted()).as(org + " completed one course").isEqualTo(1);
        }
        assertThat(stack.background().rollupWorkerCounts().messagesSucceeded()).isPositive();
    }

    @Test
    void adminRollups_ofAnotherOrg_areForbidden() throws Exception {
        String token = tokens.issue("admin-1", Duration.ofMinutes(10), List.of("org-1"), Instant.now());
        LocalDate today = LocalDate.now(ZoneOffset.UTC);

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(stack.baseUrl()
                        + "/api/admin/orgs/org-2/rollups?from=" + today + "&to=" + today))
                .header("Authorization", "Bearer " + token).GET().build(), BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(403);
    }

    /** Learners of the org, from learner 31 on (other tests use the low numbers). */
    private static List<DemoData.Learner> learnersOf(String org) {
        return IntStream.rangeClosed(31, DemoData.LEARNERS).mapToObj(DemoData::learner)
                .filter(learner -> learner.orgId().equals(org))
                .limit(LEARNERS_PER_ORG)
                .toList();
    }

    /**
     * Progress (with completions) and analytics events of one learner; the org's first learner completes
     * every lesson of the org's second course, so course completions are counted too.
     */
    private static void postEvents(DemoData.Learner learner, String org) throws Exception {
        String course = learner.courseId(0);
        List<Map<String, Object>> progress = new ArrayList<>(List.of(
                progressEvent("lesson_progress", course, DemoData.lessonId(course, 0), 50, 30),
                progressEvent("lesson_completed", course, DemoData.lessonId(course, 0), 100, 45),
                progressEvent("lesson_completed", course, DemoData.lessonId(course, 1), 100, 60)));
        if (learner.equals(learnersOf(org).getFirst())) {
            String completedCourse = learner.courseId(1);
            for (int lesson = 0; lesson < DemoData.LESSONS_PER_COURSE; lesson++) {
                progress.add(progressEvent("lesson_completed", completedCourse,
                        DemoData.lessonId(completedCourse, lesson), 100, 20));
            }
        }
        List<Map<String, Object>> analytics = List.of(analyticsEvent("video_played"), analyticsEvent("quiz_started"),
                analyticsEvent("video_played"));

        assertAccepted(post(learner.userId(), "/api/client/progress/batch", progress), progress.size());
        assertAccepted(post(learner.userId(), "/api/analytics/events/batch", analytics), analytics.size());
    }

    private static void assertAccepted(HttpResponse<String> response, int events) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(Json.mapper().readTree(response.body()).path("accepted")).hasSize(events);
    }

    private static HttpResponse<String> post(String learner, String path, List<Map<String, Object>> events)
            throws Exception {
        String token = tokens.issue(learner, Duration.ofMinutes(10), List.of(), Instant.now());
        return client.send(HttpRequest.newBuilder(URI.create(stack.baseUrl() + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(Json.mapper().writeValueAsString(Map.of("events", events))))
                .build(), BodyHandlers.ofString());
    }

    private static Map<String, Object> progressEvent(String type, String course, String lesson, int percent, int seconds) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", "e2e-" + UUID.randomUUID());
        event.put("type", type);
        event.put("courseId", course);
        event.put("lessonId", lesson);
        event.put("progressPercent", percent);
        event.put("timeSpentSeconds", seconds);
        event.put("occurredAt", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        return event;
    }

    private static Map<String, Object> analyticsEvent(String name) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", "e2e-" + UUID.randomUUID());
        event.put("name", name);
        event.put("occurredAt", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        return event;
    }

    /** One day's figures, as the admin route reports them and as the raw tables give them. */
    record DayCounts(long activeLearners, long lessonsCompleted, long coursesCompleted, long timeSpentSeconds,
            long eventsTotal, Map<String, Long> events) {
    }

    /** The admin route's days with any figure, by day; empty days (zero-filled by the route) are left out. */
    private static Map<String, DayCounts> adminRollups(String org, LocalDate from, LocalDate to) {
        String token = tokens.issue("admin-1", Duration.ofMinutes(10), List.of(org), Instant.now());
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(stack.baseUrl()
                            + "/api/admin/orgs/" + org + "/rollups?from=" + from + "&to=" + to))
                    .header("Authorization", "Bearer " + token).GET().build(), BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            Map<String, DayCounts> days = new TreeMap<>();
            for (JsonNode day : Json.mapper().readTree(response.body()).path("days")) {
                Map<String, Long> events = new TreeMap<>();
                day.path("events").properties().forEach(e -> events.put(e.getKey(), e.getValue().asLong()));
                DayCounts counts = new DayCounts(day.path("activeLearners").asLong(), day.path("lessonsCompleted").asLong(),
                        day.path("coursesCompleted").asLong(), day.path("timeSpentSeconds").asLong(),
                        day.path("eventsTotal").asLong(), events);
                if (!counts.equals(new DayCounts(0, 0, 0, 0, 0, Map.of()))) {
                    days.put(day.path("day").asText(), counts);
                }
            }
            return days;
        } catch (Exception e) {
            throw new IllegalStateException("admin rollups of " + org + " failed", e);
        }
    }

    /** The same figures counted directly from the raw tables (events, learner lesson and course progress). */
    private static Map<String, DayCounts> rawCounts(String org, LocalDate from, LocalDate to) {
        String sql = """
                WITH events AS (
                    SELECT (occurred_at AT TIME ZONE 'UTC')::date AS day, user_id, type AS name, time_spent_seconds
                      FROM huddle.progress_events WHERE org_id = ?
                    UNION ALL
                    SELECT (occurred_at AT TIME ZONE 'UTC')::date, user_id, name, 0
                      FROM huddle.analytics_events WHERE org_id = ?
                ), by_day AS (
                    SELECT day, count(DISTINCT user_id) AS learners, sum(time_spent_seconds) AS time_spent,
                           count(*) AS total
                      FROM events GROUP BY day
                ), by_name AS (
                    SELECT day, jsonb_object_agg(name, n) AS names
                      FROM (SELECT day, name, count(*) AS n FROM events GROUP BY day, name) x GROUP BY day
                ), lessons AS (
                    SELECT (completed_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n
                      FROM huddle.user_lesson_progress WHERE org_id = ? AND completed GROUP BY 1
                ), courses AS (
                    SELECT (completed_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n
                      FROM huddle.user_course_progress WHERE org_id = ? AND completed_at IS NOT NULL GROUP BY 1
                )
                SELECT d.day, d.learners, coalesce(l.n, 0) AS lessons, coalesce(c.n, 0) AS courses, d.time_spent,
                       d.total, n.names::text AS names
                  FROM by_day d JOIN by_name n USING (day)
                  LEFT JOIN lessons l USING (day) LEFT JOIN courses c USING (day)
                 WHERE d.day BETWEEN ? AND ?
                """;
        var config = stack.config().database();
        try (Connection connection = new SimpleDataSource(config.url(), config.user(), config.password())
                .getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 1; i <= 4; i++) {
                statement.setString(i, org);
            }
            statement.setObject(5, from);
            statement.setObject(6, to);
            Map<String, DayCounts> days = new TreeMap<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    Map<String, Long> events = new TreeMap<>();
                    Json.mapper().readTree(rows.getString("names")).properties()
                            .forEach(e -> events.put(e.getKey(), e.getValue().asLong()));
                    days.put(rows.getObject("day", LocalDate.class).toString(), new DayCounts(rows.getLong("learners"),
                            rows.getLong("lessons"), rows.getLong("courses"), rows.getLong("time_spent"),
                            rows.getLong("total"), events));
                }
            }
            return days;
        } catch (SQLException | java.io.IOException e) {
            throw new IllegalStateException("raw counts of " + org + " failed", e);
        }
    }
}
