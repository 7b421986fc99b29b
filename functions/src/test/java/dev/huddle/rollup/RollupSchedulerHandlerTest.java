package dev.huddle.rollup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import java.time.Clock;
import dev.huddle.common.Identifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** The sweep handler with the EventBridge sample, on ElasticMQ. */
class RollupSchedulerHandlerTest {
    private final SqsClient sqs = TestSqs.client();
    private final TestSqs.Queues queues = TestSqs.createJobQueues(sqs);
    private final List<String> logLines = new ArrayList<>();
    private final RollupJobQueue queue =
            new RollupJobQueue(sqs, queues.mainUrl(), Clock.systemUTC(), logLines::add);

    @Test
    void queuesOneJobPerOrgWithPendingEvents_andLogsHowMany() {
        RollupSchedulerHandler handler = new RollupSchedulerHandler(
                new RollupScheduler(() -> Set.of("org-1", "org-3"), queue), logLines::add, Clock.systemUTC());

        Object result = handler.handleRequest(EventLoader.loadScheduledEvent("events/eventbridge_scheduled_rollup_sweep.json"), null);

        assertThat(result).isEqualTo(java.util.Map.of("queuedOrgs", 2));
        assertThat(TestSqs.drain(sqs, queues.mainUrl())).extracting(Message::body)
                .containsExactlyInAnyOrder("{\"orgId\":\"org-1\"}", "{\"orgId\":\"org-3\"}");
        assertThat(logLines).anySatisfy(line -> assertThat(line).contains("\"rollupJobsQueuedBySweep\":2.0"));
    }

    @Test
    void oneBadOrgNeverStopsTheSweepForTheOthers_andLongIdsGetDistinctSafeDeduplicationIds() {
        String longest = "a".repeat(Identifier.MAX_LENGTH);
        String longestButOne = "a".repeat(Identifier.MAX_LENGTH - 1) + "b";
        // The bad org first: before, the first invalid id ended the sweep for every org after it.
        Set<String> pending = new LinkedHashSet<>(List.of("org 1!", "org-1", longest, longestButOne, "zz.last:org_9"));
        RollupSchedulerHandler handler = new RollupSchedulerHandler(new RollupScheduler(() -> pending, queue),
                logLines::add, Clock.systemUTC());

        Object result = handler.handleRequest(EventLoader.loadScheduledEvent("events/eventbridge_scheduled_rollup_sweep.json"), null);

        assertThat(result).isEqualTo(java.util.Map.of("queuedOrgs", 4));
        List<Message> jobs = TestSqs.drain(sqs, queues.mainUrl());
        assertThat(jobs).extracting(m -> RollupJobMessage.parse(m.body()).orElseThrow().orgId())
                .containsExactlyInAnyOrder("org-1", longest, longestButOne, "zz.last:org_9");
        assertThat(jobs).extracting(m -> m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID))
                .as("an Identifier is a valid group id as it is").containsExactlyInAnyOrder("org-1", longest, longestButOne,
                        "zz.last:org_9");
        assertThat(jobs).extracting(m -> m.attributes().get(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID))
                .allSatisfy(id -> assertThat(id.length()).isLessThanOrEqualTo(128))
                .doesNotHaveDuplicates();
        assertThat(queue.invalidOrgIds()).isEqualTo(1);
        assertThat(logLines).anySatisfy(line -> assertThat(line).contains("\"rollupInvalidOrgIds\":1")
                .contains("\"orgId\":\"org 1!\"").contains("\"operation\":\"sweep\""));
    }

    @Test
    void theFanOutLeavesOutAnInvalidOrg_countsIt_andStillSendsTheOthers() {
        Map<String, Long> claims = new LinkedHashMap<>();
        claims.put("bad\norg", 1L);
        claims.put("org-7", 1L);
        queue.requestRollups(claims);

        assertThat(TestSqs.drain(sqs, queues.mainUrl())).extracting(Message::body).containsExactly("{\"orgId\":\"org-7\"}");
        assertThat(queue.invalidOrgIds()).isEqualTo(1);
        assertThat(queue.sendFailures()).isZero();
        assertThat(logLines).anySatisfy(line -> assertThat(line).contains("\"rollupInvalidOrgIds\":1")
                .contains("\"operation\":\"fanOut\"").contains("bad\\norg"));
    }

    @Test
    void aSweepWhoseSendsFail_triesEveryBatch_thenFailsTheInvocation() {
        RollupJobQueue missing = new RollupJobQueue(sqs, queues.mainUrl().replace("rollup-jobs", "missing-queue"),
                Clock.systemUTC(), logLines::add);
        Set<String> twelve = new LinkedHashSet<>();
        for (int i = 0; i < 12; i++) {
            twelve.add("org-" + i);
        }
        RollupSchedulerHandler handler = new RollupSchedulerHandler(new RollupScheduler(() -> twelve, missing),
                logLines::add, Clock.systemUTC());

        assertThatThrownBy(() -> handler.handleRequest(
                EventLoader.loadScheduledEvent("events/eventbridge_scheduled_rollup_sweep.json"), null))
                .isInstanceOf(IllegalStateException.class)
                .hasRootCauseInstanceOf(software.amazon.awssdk.core.exception.SdkException.class);
        assertThat(logLines).anySatisfy(line -> assertThat(line).contains("\"rollupSendFailures\":1")
                .contains("\"orgs\":12"));
    }

    @Test
    void failsTheInvocation_whenTheDatabaseCannotBeAsked() {
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
        RollupJobQueue sameBucket = new RollupJobQueue(sqs, queues.mainUrl(), fixed, logLines::add);
        sameBucket.requestRollups(Map.of("org-2", RollupJobQueue.fanOutBuckets(fixed).getAsLong()));
        TestSqs.drain(sqs, queues.mainUrl());  // a worker took the fan-out job; more events came after it

        new RollupScheduler(() -> Set.of("org-2"), sameBucket).sweep();

        assertThat(TestSqs.drain(sqs, queues.mainUrl())).extracting(Message::body).containsExactly("{\"orgId\":\"org-2\"}");
    }
}
