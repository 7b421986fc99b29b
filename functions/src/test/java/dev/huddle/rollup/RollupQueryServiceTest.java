package dev.huddle.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.huddle.common.http.HttpResponse;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RollupQueryServiceTest {
    private static final Map<String, String> ADMIN_OF_ORG_1 = Map.of("sub", "admin-1", "scope", "openid admin:org-1");

    private final RollupQueryService service = new RollupQueryService((orgId, from, to) -> orgId.equals("org-1")
            ? Optional.of(List.of(new DailyRollup(LocalDate.parse("2026-11-27"), 2, 3, 1, 600, 7,
                    Map.of("lesson_completed", 3L, "app_opened", 4L))))
            : Optional.empty(), 2);

    @Test
    void answersEveryDayOfTheRange_zeroFilled() {
        HttpResponse response = service.handle(ADMIN_OF_ORG_1, "org-1", "2026-11-26", "2026-11-28");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualToIgnoringWhitespace("""
                {"orgId":"org-1","from":"2026-11-26","to":"2026-11-28","days":[
                 {"day":"2026-11-26","activeLearners":0,"lessonsCompleted":0,"coursesCompleted":0,"timeSpentSeconds":0,
                  "eventsTotal":0,"events":{}},
                 {"day":"2026-11-27","activeLearners":2,"lessonsCompleted":3,"coursesCompleted":1,"timeSpentSeconds":600,
                  "eventsTotal":7,"events":{"app_opened":4,"lesson_completed":3}},
                 {"day":"2026-11-28","activeLearners":0,"lessonsCompleted":0,"coursesCompleted":0,"timeSpentSeconds":0,
                  "eventsTotal":0,"events":{}}]}""");
    }

    @Test
    void answers401_withoutASubject() {
        assertThat(service.handle(Map.of("scope", "admin:org-1"), "org-1", "2026-11-26", "2026-11-28").status())
                .isEqualTo(401);
    }

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {"NULL", "''", "openid", "admin:org-2", "admin:org-10", "xadmin:org-1",
            "admin:org-1x"})
    void answers403_unlessTheScopeGrantsAdminOnThatOrg(String scope) {
        Map<String, String> claims = scope == null ? Map.of("sub", "u-1") : Map.of("sub", "u-1", "scope", scope);

        HttpResponse response = service.handle(claims, "org-1", "2026-11-26", "2026-11-28");

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.body()).contains("\"error\":\"forbidden\"");
    }

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {
            "NULL,       2026-11-28",
            "2026-11-26, NULL",
            "2026-11-26, 28-11-2026",
            "2026-02-30, 2026-03-01",
            "+2026-11-26, 2026-11-28",
            "2026-11-29, 2026-11-28",
            "2025-11-27, 2026-11-28"})
    void answers400_forMissingOrBadDates_reversedRanges_andMoreThan366Days(String from, String to) {
        HttpResponse response = service.handle(ADMIN_OF_ORG_1, "org-1", from, to);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).contains("\"error\":\"invalid_query\"");
    }

    @Test
    void accepts366Days() {
        assertThat(service.handle(ADMIN_OF_ORG_1, "org-1", "2025-11-28", "2026-11-28").status()).isEqualTo(200);
    }

    @Test
    void answers404_forAnUnknownOrg() {
        HttpResponse response = service.handle(Map.of("sub", "a", "scope", "admin:org-9"), "org-9", "2026-11-26",
                "2026-11-28");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.body()).contains("\"error\":\"not_found\"");
    }
}
