package dev.huddle.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.huddle.dbapi.RollupJobResult;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The worker handler with the sample SQS events and fake jobs. */
class RollupWorkerHandlerTest {
    private final List<String> jobsRun = new ArrayList<>();
    private final List<String> continuations = new ArrayList<>();
    private final List<String> logLines = new ArrayList<>();
    private final List<SQSEvent.SQSMessage> retried = new ArrayList<>();

    private RollupWorkerHandler handler(Set<String> failingOrgs, Set<String> orgsWithBacklog) {
        RollupWorker worker = orgId -> {
            jobsRun.add(orgId);
            if (failingOrgs.contains(orgId)) {
                throw new IllegalStateException("injected failure");
            }
            return new RollupJobResult(10, orgsWithBacklog.contains(orgId));
        };
        return new RollupWorkerHandler(new RollupJobBatch(worker, (orgId, after) -> continuations.add(orgId + " after " + after),
                retried::addAll, logLines::add, Clock.systemUTC()));
    }

    private static List<String> failedIds(SQSBatchResponse response) {
        return response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    @Test
    void runsTheJobOfASingleMessage_andReportsNoFailure() {
        SQSBatchResponse response = handler(Set.of(), Set.of())
                .handleRequest(EventLoader.loadSQSEvent("events/sqs_rollup_job_single.json"), null);

        assertThat(failedIds(response)).isEmpty();
        assertThat(jobsRun).containsExactly("org-1");
        assertThat(continuations).isEmpty();
        assertThat(retried).isEmpty();
    }

    @Test
    void reportsOnlyTheFailedMessage_whenOneOrgOfSeveralFails() {
        SQSBatchResponse response = handler(Set.of("org-2"), Set.of())
                .handleRequest(EventLoader.loadSQSEvent("events/sqs_rollup_jobs_several_orgs.json"), null);

        assertThat(failedIds(response)).containsExactly("5d2f3c1e-0002-4a7b-9c1d-000000000002");
        assertThat(retried).as("handed over to come back soon").extracting(SQSEvent.SQSMessage::getMessageId)
                .containsExactly("5d2f3c1e-0002-4a7b-9c1d-000000000002");
        assertThat(jobsRun).containsExactly("org-1", "org-2", "org-3");
        assertThat(logLines).anySatisfy(line -> assertThat(line).contains("\"orgId\":\"org-2\"")
                .contains("IllegalStateException").doesNotContain("injected failure"));
    }

    @Test
    void reportsAMalformedBodyAsFailed_withoutRunningAJobOrLoggingTheBody() {
        SQSBatchResponse response = handler(Set.of(), Set.of())
                .handleRequest(EventLoader.loadSQSEvent("events/sqs_rollup_jobs_with_poison_message.json"), null);

        assertThat(failedIds(response)).containsExactly("5d2f3c1e-0003-4a7b-9c1d-000000000002");
        assertThat(jobsRun).containsExactly("org-1", "org-3");
        assertThat(String.join("\n", logLines)).doesNotContain("not a rollup job");
    }

    @Test
    void queuesTheNextJob_whenABacklogRemainsAfterTheJobCap() {
        handler(Set.of(), Set.of("org-3"))
                .handleRequest(EventLoader.loadSQSEvent("events/sqs_rollup_jobs_several_orgs.json"), null);

        assertThat(continuations).containsExactly("org-3 after 5d2f3c1e-0002-4a7b-9c1d-000000000003");
        assertThat(jobsRun).filteredOn("org-3"::equals).hasSize(BacklogDrain.MAX_JOBS_PER_MESSAGE);
    }

    /** A worker whose org has a backlog of the given number of jobs. */
    private RollupWorker backlogOfJobs(int jobs) {
        return orgId -> {
            jobsRun.add(orgId);
            return new RollupJobResult(5000, jobsRun.size() < jobs);
        };
    }

    @Test
    void drainsABacklogOfThreeJobsWithinOneMessage_whenTheInvocationHasTimeLeft() {
        RollupWorkerHandler handler = new RollupWorkerHandler(new RollupJobBatch(backlogOfJobs(3),
                (orgId, after) -> continuations.add(orgId), retried::addAll, logLines::add, Clock.systemUTC()));

        SQSBatchResponse response = handler.handle(EventLoader.loadSQSEvent("events/sqs_rollup_job_single.json"),
                () -> 60_000);

        assertThat(failedIds(response)).isEmpty();
        assertThat(jobsRun).containsExactly("org-1", "org-1", "org-1");
        assertThat(continuations).isEmpty();
        assertThat(logLines).anySatisfy(line -> assertThat(line).contains("\"rollupJobsRun\":3")
                .contains("\"rollupEventsProcessed\":15000"));
    }

    @Test
    void queuesAContinuationAfterOneJob_whenLittleTimeIsLeft() {
        RollupWorkerHandler handler = new RollupWorkerHandler(new RollupJobBatch(backlogOfJobs(3),
                (orgId, after) -> continuations.add(orgId + " after " + after), retried::addAll, logLines::add,
                Clock.systemUTC()));

        handler.handle(EventLoader.loadSQSEvent("events/sqs_rollup_job_single.json"),
                () -> BacklogDrain.SAFETY_MARGIN.toMillis() - 1);

        assertThat(jobsRun).containsExactly("org-1");
        assertThat(continuations).containsExactly("org-1 after 5d2f3c1e-0001-4a7b-9c1d-000000000001");
    }

    @Test
    void reportsLaterMessagesOfAFailedGroupWithoutRunningThem_fifoOrder() {
        SQSEvent event = EventLoader.loadSQSEvent("events/sqs_rollup_jobs_several_orgs.json");
        // All three in the group of org-1 (e.g. a burst before the deduplication bucket turned).
        event.getRecords().forEach(m -> m.getAttributes().put("MessageGroupId", "org-1"));

        SQSBatchResponse response = handler(Set.of("org-1"), Set.of()).handleRequest(event, null);

        assertThat(failedIds(response)).hasSize(3);
        assertThat(jobsRun).containsExactly("org-1");
    }

    @Test
    void reportsTheMessageFailed_whenQueueingTheNextJobFails_soTheRetryQueuesItAgain() {
        RollupWorkerHandler failingQueue = new RollupWorkerHandler(new RollupJobBatch(
                orgId -> new RollupJobResult(5000, true),
                (orgId, after) -> {
                    throw new RollupJobQueue.RollupQueueException("send refused");
                }, retried::addAll, logLines::add, Clock.systemUTC()));

        SQSBatchResponse response = failingQueue.handleRequest(
                EventLoader.loadSQSEvent("events/sqs_rollup_job_single.json"), null);

        assertThat(failedIds(response)).containsExactly("5d2f3c1e-0001-4a7b-9c1d-000000000001");
    }
}
