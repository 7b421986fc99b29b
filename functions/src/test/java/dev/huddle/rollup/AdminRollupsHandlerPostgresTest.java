package dev.huddle.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import dev.huddle.common.Json;
import dev.huddle.common.db.DatabaseConnection;
import dev.huddle.ingest.ProgressEvent;
import dev.huddle.sql.DatabaseRole;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The admin route on the sample events and real PostgreSQL: ingest, roll up, read. */
class AdminRollupsHandlerPostgresTest {
    private static final Instant DAY = Instant.parse("2026-11-27T10:00:00Z");

    @Test
    void answersTheRolledUpFiguresOfTheOrg_andZerosForDaysWithoutEvents() throws Exception {
        RollupDatabase db = new RollupDatabase();
        db.store().storeProgress("learner-0001", List.of(
                new ProgressEvent("adm-1", ProgressEvent.Type.LESSON_COMPLETED, "course-101", "course-101-lesson-01",
                        BigDecimal.valueOf(100), 120, DAY),
                new ProgressEvent("adm-2", ProgressEvent.Type.LESSON_PROGRESS, "course-101", "course-101-lesson-02",
                        BigDecimal.valueOf(20), 30, DAY.plusSeconds(60))), OptionalInt.empty());
        db.worker(5000).runJob("org-1");
        AdminRollupsHandler handler = new AdminRollupsHandler(new RollupQueryService(new PostgresRollupReader(
                new DatabaseConnection(db.database.factory(DatabaseRole.ADMIN_API, Duration.ofSeconds(5), "test-admin", null))), 2));

        APIGatewayV2HTTPResponse response = handler.handleRequest(
                EventLoader.loadApiGatewayHttpEvent("events/apigw_v2_admin_rollups_valid.json"), null);

        assertThat(response.getStatusCode()).isEqualTo(200);
        JsonNode days = Json.mapper().readTree(response.getBody()).get("days");
        assertThat(days).hasSize(3);
        assertThat(days.get(0).get("eventsTotal").asLong()).isZero();
        JsonNode day = days.get(1);
        assertThat(day.get("day").asText()).isEqualTo(LocalDate.parse("2026-11-27").toString());
        assertThat(day.get("activeLearners").asLong()).isEqualTo(1);
        assertThat(day.get("lessonsCompleted").asLong()).isEqualTo(1);
        assertThat(day.get("timeSpentSeconds").asLong()).isEqualTo(150);
        assertThat(day.get("eventsTotal").asLong()).isEqualTo(2);
        assertThat(Json.mapper().convertValue(day.get("events"), Map.class))
                .isEqualTo(Map.of("lesson_completed", 1, "lesson_progress", 1));
    }

    @Test
    void answers403_forAnAdminOfAnotherOrg_withoutReadingTheDatabase() {
        AdminRollupsHandler handler = new AdminRollupsHandler(new RollupQueryService((orgId, from, to) -> {
            throw new AssertionError("must not read");
        }, 2));

        APIGatewayV2HTTPResponse response = handler.handleRequest(
                EventLoader.loadApiGatewayHttpEvent("events/apigw_v2_admin_rollups_other_org.json"), null);

        assertThat(response.getStatusCode()).isEqualTo(403);
    }

    @Test
    void answers404_withoutTheOrgIdPathParameter_andNeverParsesTheRawPath() {
        AdminRollupsHandler handler = neverReading();
        APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent("events/apigw_v2_admin_rollups_valid.json");
        event.setPathParameters(null);

        assertThat(handler.handleRequest(event, null).getStatusCode()).isEqualTo(404);
    }

    @Test
    void answers405WithAllow_forAnotherMethodOnTheRoute() {
        AdminRollupsHandler handler = neverReading();
        APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent("events/apigw_v2_admin_rollups_valid.json");
        event.getRequestContext().getHttp().setMethod("DELETE");

        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);

        assertThat(response.getStatusCode()).isEqualTo(405);
        assertThat(response.getHeaders()).containsEntry("Allow", "GET");
    }

    @Test
    void answers404_forAnUnknownOrgInTheDatabase() {
        RollupDatabase db = new RollupDatabase();
        AdminRollupsHandler handler = new AdminRollupsHandler(new RollupQueryService(new PostgresRollupReader(
                new DatabaseConnection(db.database.factory(DatabaseRole.ADMIN_API, Duration.ofSeconds(5), "test-admin", null))), 2));
        APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent("events/apigw_v2_admin_rollups_valid.json");
        event.setPathParameters(Map.of("orgId", "org-404"));
        event.getRequestContext().getAuthorizer().getJwt().getClaims().put("scope", "admin:org-404");

        assertThat(handler.handleRequest(event, null).getStatusCode()).isEqualTo(404);
    }

    /** A handler whose reader fails the test when asked: the request must be refused before any read. */
    private static AdminRollupsHandler neverReading() {
        return new AdminRollupsHandler(new RollupQueryService((orgId, from, to) -> {
            throw new AssertionError("must not read");
        }, 2));
    }
}
