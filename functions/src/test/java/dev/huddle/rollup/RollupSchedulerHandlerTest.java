package dev.huddle.rollup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** The sweep handler with the EventBridge sample, on ElasticMQ. */
class RollupSchedulerHandlerTest {
    private final SqsClient sqs = TestSqs.client();
    private final TestSqs.Queues queues = TestSqs.createJobQueues(sqs);
    private final List<String> logLines = new ArrayList<>();
    private final RollupJobQueue queue =
            new RollupJobQueue(sqs, queues.mainUrl(), Clock.systemUTC(), RollupJobQueue.DEFAULT_BUCKET, logLines::add);

    @Test
    void shouldQueueOneJobPerOrgWithPendingEvents_andLogHowMany() {
        RollupSchedulerHandler handler = new RollupSchedulerHandler(
                new RollupScheduler(() -> Set.of("org-1", "org-3"), queue), logLines::add, Clock.systemUTC());

        Object result = handler.handleRequest(EventLoader.loadScheduledEvent("events/eventbridge_scheduled_rollup_sweep.json"), null);

        assertThat(result).isEqualTo(java.util.Map.of("queuedOrgs", 2));
        assertThat(TestSqs.drain(sqs, queues.mainUrl())).extracting(Message::body)
                .containsExactlyInAnyOrder("{\"orgId\":\"org-1\"}", "{\"orgId\":\"org-3\"}");
        assertThat(logLines).anySatisfy(line -> assertThat(line).contains("\"rollupJobsQueuedBySweep\":2.0"));
    }

    @Test
    void shouldFailTheInvocation_whenTheDatabaseCannotBeAsked() {
        RollupSchedulerHandler handler = new RollupSchedulerHandler(new RollupScheduler(() -> {
            throw new java.sql.SQLException("down", "08006");
        }, queue), logLines::add, Clock.systemUTC());

        assertThatThrownBy(() -> handler.handleRequest(
                EventLoader.loadScheduledEvent("events/eventbridge_scheduled_rollup_sweep.json"), null))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aSweepJobIsNotSwallowedByAFanOutJobOfTheSameBucket() throws Exception {
        Clock fixed = Clock.fixed(java.time.Instant.parse("2026-11-28T12:00:00Z"), java.time.ZoneOffset.UTC);
        RollupJobQueue sameBucket = new RollupJobQueue(sqs, queues.mainUrl(), fixed, RollupJobQueue.DEFAULT_BUCKET,
                logLines::add);
        sameBucket.requestRollups(Set.of("org-2"));
        TestSqs.drain(sqs, queues.mainUrl());  // a worker took the fan-out job; more events came after it

        new RollupScheduler(() -> Set.of("org-2"), sameBucket).sweep();

        assertThat(TestSqs.drain(sqs, queues.mainUrl())).extracting(Message::body).containsExactly("{\"orgId\":\"org-2\"}");
    }
}
