package dev.huddle.retention;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;

class RetentionHandlerTest {

    @ParameterizedTest
    @Event(value = "events/eventbridge_scheduled_retention.json", type = ScheduledEvent.class)
    void runsForReal_onTheNightlySchedule(ScheduledEvent event) throws Exception {
        RetentionFixture fx = new RetentionFixture();
        LocalDate old = fx.today.minusDays(40);
        fx.seedDay(old, 3);

        Map<String, Object> result = new RetentionHandler(fx.service(Checkpoint.Listener.NONE)).handleRequest(event, null);

        assertThat(result).containsEntry("dryRun", false).containsEntry("dropped", 2L);
        assertThat(fx.partitions()).doesNotContain(RetentionFixture.partitionName("progress_events", old));
    }

    @ParameterizedTest
    @Event(value = "events/eventbridge_scheduled_retention_dry_run.json", type = ScheduledEvent.class)
    void onlyLists_whenTheEventAsksForADryRun(ScheduledEvent event) throws Exception {
        RetentionFixture fx = new RetentionFixture();
        LocalDate old = fx.today.minusDays(40);
        fx.seedDay(old, 3);

        Map<String, Object> result = new RetentionHandler(fx.service(Checkpoint.Listener.NONE)).handleRequest(event, null);

        assertThat(result).containsEntry("dryRun", true).containsEntry("dropped", 0L);
        assertThat(fx.partitions()).contains(RetentionFixture.partitionName("progress_events", old));
        assertThat(fx.bucketKeys()).isEmpty();
    }
}
