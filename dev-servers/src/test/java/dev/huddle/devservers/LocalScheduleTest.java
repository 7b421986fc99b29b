package dev.huddle.devservers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

class LocalScheduleTest {
    private static final Instant NOW = Instant.parse("2026-11-28T02:00:00.750Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** Records each event and the context's function name; answers with the event id, or throws when told. */
    private static final class RecordingFunction implements RequestHandler<ScheduledEvent, String> {
        final LinkedBlockingQueue<ScheduledEvent> events = new LinkedBlockingQueue<>();
        volatile boolean fail;
        volatile String functionName;

        @Override
        public String handleRequest(ScheduledEvent event, Context context) {
            functionName = context.getFunctionName();
            events.add(event);
            if (fail) {
                throw new IllegalStateException("scripted failure");
            }
            return event.getId();
        }
    }

    @Test
    void runNow_invokesWithTheEventEventBridgeSends() {
        RecordingFunction function = new RecordingFunction();
        try (LocalSchedule schedule = LocalSchedule.start("huddle-retention-nightly", "huddle-retention",
                Duration.ofDays(1), Duration.ofDays(1), Duration.ofMinutes(15), function, CLOCK)) {

            Object answer = schedule.runNow();

            // One poll, no waiting: runNow returns only after the function did, so the event is recorded.
            ScheduledEvent event = function.events.poll();
            assertThat(answer).isEqualTo(event.getId());
            assertThat(event.getDetailType()).isEqualTo("Scheduled Event");
            assertThat(event.getSource()).isEqualTo("aws.events");
            assertThat(event.getVersion()).isEqualTo("0");
            assertThat(event.getAccount()).isEqualTo("000000000000");
            assertThat(event.getRegion()).isEqualTo("us-east-1");
            assertThat(event.getTime().getMillis()).isEqualTo(Instant.parse("2026-11-28T02:00:00Z").toEpochMilli());
            assertThat(event.getResources())
                    .containsExactly("arn:aws:events:us-east-1:000000000000:rule/huddle-retention-nightly");
            assertThat(event.getDetail()).isEmpty();
            assertThat(function.functionName).isEqualTo("huddle-retention");
            assertThat(schedule.runs()).isEqualTo(1);
        }
    }

    @Test
    void schedule_invokesOnEveryInterval_withAFreshIdEachTime() throws Exception {
        RecordingFunction function = new RecordingFunction();
        try (LocalSchedule schedule = LocalSchedule.start("every-50ms", "f", Duration.ofMillis(50), Duration.ZERO,
                Duration.ofSeconds(5), function, CLOCK)) {

            await("three ticks of a 50 ms schedule").atMost(WAIT).until(() -> function.events.size() >= 3);
            ScheduledEvent first = function.events.take();
            ScheduledEvent second = function.events.take();
            ScheduledEvent third = function.events.take();

            assertThat(first.getId()).isNotEqualTo(second.getId()).isNotEqualTo(third.getId());
        }
    }

    @Test
    void failingRun_doesNotStopTheSchedule_butRunNowReportsIt() throws Exception {
        RecordingFunction function = new RecordingFunction();
        function.fail = true;
        try (LocalSchedule schedule = LocalSchedule.start("failing", "f", Duration.ofMillis(50), Duration.ZERO,
                Duration.ofSeconds(5), function, CLOCK)) {

            // Counted once the tick has failed (an event is recorded before the function throws).
            await("a second failed tick after a failed one").atMost(WAIT).until(() -> schedule.failures() >= 2);
            assertThatThrownBy(schedule::runNow).hasMessage("scripted failure");
            assertThat(schedule.failures()).isGreaterThanOrEqualTo(3);
        }
    }
}
