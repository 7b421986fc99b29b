package dev.huddle.perf.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EventMixTest {
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private final EventMix mix = new EventMix(42, NOW, Duration.ofMinutes(60), 5);

    @Test
    void theSameSeedGivesEveryMethodTheSameMix_withItsOwnEventIds() {
        List<BenchBatch> first = mix.batches("run-a", 1_000, 100);
        List<BenchBatch> second = mix.batches("run-b", 1_000, 100);

        assertThat(first).hasSize(10);
        for (int b = 0; b < first.size(); b++) {
            assertThat(second.get(b).userId()).isEqualTo(first.get(b).userId());
            for (int i = 0; i < 100; i++) {
                BenchEvent a = first.get(b).events().get(i);
                BenchEvent c = second.get(b).events().get(i);
                assertThat(c.lessonId()).isEqualTo(a.lessonId());
                assertThat(c.occurredAt()).isEqualTo(a.occurredAt());
                assertThat(c.eventId()).isNotEqualTo(a.eventId());
            }
        }
    }

    @Test
    void aBatchIsOneLearnerWorkingThroughConsecutiveLessonsOfTheirOrg_inTimeOrder_withinTheWindow() {
        for (BenchBatch batch : mix.batches("run", 2_000, 100)) {
            int learner = Integer.parseInt(batch.userId().substring("learner-".length()));
            String org = "org-" + ((learner - 1) % 3 + 1);
            Set<String> lessons = batch.events().stream().map(BenchEvent::lessonId).collect(Collectors.toSet());

            assertThat(lessons).hasSize(5);
            assertThat(batch.events()).allSatisfy(event -> {
                assertThat(event.userId()).isEqualTo(batch.userId());
                assertThat(event.orgId()).isEqualTo(org);
                assertThat(event.courseId()).startsWith("course-" + org.substring(4));
                assertThat(event.lessonId()).startsWith(event.courseId() + "-lesson-");
                assertThat(event.progressPercent()).isBetween(0, 100);
                assertThat(event.occurredAt()).isBetween(NOW.minus(Duration.ofDays(20)), NOW);
                if (event.type().equals("lesson_completed")) {
                    assertThat(event.progressPercent()).isEqualTo(100);
                }
            });
            assertThat(batch.events()).isSortedAccordingTo((x, y) -> x.occurredAt().compareTo(y.occurredAt()));
        }
    }

    @Test
    void consecutiveBatchesBelongToDifferentLearners_soTwoClientsNeverShareOne() {
        List<String> learners = mix.batches("run", 20_000, 100).stream().map(BenchBatch::userId).toList();

        assertThat(learners).doesNotHaveDuplicates();
    }
}
