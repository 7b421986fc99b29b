package dev.huddle.perf.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.huddle.common.Json;
import dev.huddle.sql.DemoData;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LoadPlanTest {

    @Test
    void plansTheAggregateRate_withEveryLearnerFlushingBothRoutesTogether() {
        LoadPlan plan = LoadPlan.build(100, 40, Duration.ofSeconds(30), 5, "lt-test-", 1L);

        // 100 learners x 2 requests every 5 s = 40/s; over 30 s that is 1,200 requests (phases are random).
        assertThat(LoadPlan.flushPeriod(100, 40)).isEqualTo(Duration.ofSeconds(5));
        assertThat(plan.requests()).hasSizeBetween(1_100, 1_300);
        assertThat(plan.requests()).extracting(LoadPlan.PlannedRequest::atNanos).isSorted()
                .allSatisfy(at -> assertThat(at).isBetween(0L, Duration.ofSeconds(30).toNanos()));
        long progress = plan.requests().stream().filter(r -> r.route() == LoadRoute.PROGRESS).count();
        assertThat(progress * 2).isEqualTo(plan.requests().size());
        assertThat(plan.events()).isEqualTo(plan.requests().size() * 5L);
    }

    @Test
    void spreadsArrivalsEvenlyToTheRunsEdges_withoutABurstAtTheStartOrTheEnd() {
        // The seed's scale: 5,000 learners at 500 requests/s, so 50 requests in each 100 ms on average.
        LoadPlan plan = LoadPlan.build(5_000, 500, Duration.ofSeconds(20), 1, "lt-test-", 7L);
        long windowNanos = Duration.ofMillis(100).toNanos();
        int[] perWindow = new int[200];
        plan.requests().forEach(request -> perWindow[(int) (request.atNanos() / windowNanos)]++);

        assertThat(plan.requests()).hasSizeBetween(9_500, 10_500);
        // Clamping flushes jittered out of the run to its edges put about 250 requests in the first and the
        // last window; random arrivals keep every window near the mean.
        assertThat(perWindow[0]).as("first 100 ms").isBetween(25, 80);
        assertThat(perWindow[199]).as("last 100 ms").isBetween(25, 80);
        assertThat(java.util.Arrays.stream(perWindow).max().orElseThrow()).as("busiest 100 ms").isLessThan(100);
    }

    @Test
    void buildsValidEventsOfTheLearnersOrg_withIdsUniqueInTheRun() throws IOException {
        LoadPlan plan = LoadPlan.build(6, 12, Duration.ofSeconds(5), 3, "lt-test-", 2L);
        Set<String> eventIds = new HashSet<>();

        for (LoadPlan.PlannedRequest request : plan.requests()) {
            JsonNode events = Json.mapper().readTree(request.body()).path("events");
            assertThat(events.size()).isEqualTo(3);
            String orgPrefix = "course-" + request.learner().org();
            for (JsonNode event : events) {
                assertThat(eventIds.add(event.path("eventId").asText())).isTrue();
                assertThat(event.path("eventId").asText()).startsWith("lt-test-");
                assertThat(event.path("courseId").asText()).startsWith(orgPrefix);
                assertThat(event.path("lessonId").asText()).startsWith(event.path("courseId").asText() + "-lesson-");
                assertThat(event.has(request.route() == LoadRoute.PROGRESS ? "progressPercent" : "name")).isTrue();
            }
        }
    }

    @Test
    void placesDemoLearnersInTheirOrgs() {
        assertThat(List.of(DemoData.learner(1), DemoData.learner(2), DemoData.learner(3), DemoData.learner(4)))
                .extracting(DemoData.Learner::org).containsExactly(1, 2, 3, 1);
        assertThat(DemoData.learner(5000).userId()).isEqualTo("learner-5000");
        assertThat(DemoData.learner(2).courseId(9)).isEqualTo("course-210");
        assertThatThrownBy(() -> DemoData.learner(5001)).hasMessageContaining("1..5000");
    }

    @Test
    void countsAsLostOnlyConfirmedEventsMissingFromTheDatabase() {
        // planned, dropped, accepted, duplicates, rejected, not delivered, rows, rows of the undelivered
        Reconciliation clean = new Reconciliation(120, 20, 80, 5, 5, 10, 88, 3);
        Reconciliation lossy = new Reconciliation(100, 0, 90, 0, 5, 5, 88, 0);

        assertThat(clean.generated()).isEqualTo(100);
        assertThat(clean.lost()).as("dropped and undelivered events are not lost").isZero();
        assertThat(clean.describe()).contains("sent = accepted + duplicates + rejected + not delivered");
        assertThat(lossy.lost()).isEqualTo(2);
    }

    @Test
    void refusesPlansThatTogetherWouldHoldMoreRequestsThanItKeepsInMemory() {
        assertThat(LoadPlan.expectedRequests(2000, Duration.ofSeconds(60))).isEqualTo(120_000);
        LoadPlan.requireWithinMemory(LoadPlan.MAX_REQUESTS);
        assertThatThrownBy(() -> LoadPlan.requireWithinMemory(LoadPlan.MAX_REQUESTS + 1L))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keeps in memory");
        assertThatThrownBy(() -> LoadPlan.build(10, 40_000, Duration.ofSeconds(60), 1, "big-", 1L))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--warm-up");
    }
}
