package dev.huddle.retention;

import static dev.huddle.retention.RetentionFixture.manifestKey;
import static dev.huddle.retention.RetentionFixture.objectKey;
import static dev.huddle.retention.RetentionFixture.partitionName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.huddle.common.Json;
import dev.huddle.dbapi.EventStatus;
import dev.huddle.dbapi.HuddleApi;
import dev.huddle.dbapi.ProgressInput;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Retention against real PostgreSQL and the real S3 API (S3Proxy over HTTP). */
class RetentionServiceTest {
    private static final String PROGRESS = "progress_events";
    private static final String ANALYTICS = "analytics_events";

    private final RetentionFixture fx = new RetentionFixture();
    // Due: older than 30 days + 1 day of grace. Kept: the grace day and a day inside the window.
    private final LocalDate oldest = fx.today.minusDays(34);
    private final LocalDate old = fx.today.minusDays(32);
    private final LocalDate graceDay = fx.today.minusDays(31);
    private final LocalDate recent = fx.today.minusDays(5);

    private void seedFourDays() throws Exception {
        fx.seedDay(oldest, 300);
        fx.seedDay(old, 200);
        fx.seedDay(graceDay, 50);
        fx.seedDay(recent, 40);
    }

    private Set<String> expectedKeys() {
        Set<String> keys = new TreeSet<>();
        for (LocalDate day : List.of(oldest, old)) {
            for (String table : List.of(PROGRESS, ANALYTICS)) {
                keys.add(objectKey(table, day));
                keys.add(manifestKey(table, day));
            }
        }
        return keys;
    }

    private void assertRetiredCompletely() throws Exception {
        assertThat(fx.bucketKeys()).isEqualTo(expectedKeys());
        assertThat(fx.partitions()).doesNotContain(partitionName(PROGRESS, oldest), partitionName(ANALYTICS, oldest),
                partitionName(PROGRESS, old), partitionName(ANALYTICS, old));
        assertThat(fx.snapshotLines(objectKey(PROGRESS, oldest))).hasSize(300);
        assertThat(fx.snapshotLines(objectKey(ANALYTICS, old))).hasSize(200);
        assertThat(fx.count("SELECT count(*) FROM huddle.dropped_partitions")).isEqualTo(4);
        assertThat(fx.count("SELECT count(*) FROM huddle.progress_events")).isEqualTo(90);
    }

    @Test
    void snapshotsVerifiesAndDrops_everyPartitionOlderThanTheWindowPlusGrace() throws Exception {
        seedFourDays();

        RetentionReport report = fx.service(Checkpoint.Listener.NONE).run(false);

        assertThat(report.dropped()).isEqualTo(4);
        assertThat(report.snapshotted()).isEqualTo(4);
        assertThat(report.rowsExported()).isEqualTo(2 * (300 + 200));
        assertThat(report.defaultRowsMoved()).isZero();
        assertRetiredCompletely();
        assertThat(fx.partitions()).contains(partitionName(PROGRESS, graceDay), partitionName(ANALYTICS, recent),
                partitionName(PROGRESS, fx.today.plusDays(14)));
        assertThat(fx.count("SELECT count(*) FROM huddle.analytics_events")).isEqualTo(90);
    }

    /** The per-org daily bound on analytics event names (V6) is never checked for days ingest refuses. */
    @Test
    void forgetsTheEventNamesOfRetiredDays_andKeepsThoseOfTheWindow_butNotOnADryRun() throws Exception {
        for (LocalDate day : List.of(oldest, old, graceDay, recent)) {
            fx.execute("INSERT INTO huddle.org_event_names (org_id, day, name) VALUES ('org-1', '" + day
                    + "', 'video_played'), ('org-2', '" + day + "', 'quiz_started')");
        }

        RetentionReport dryRun = fx.service(Checkpoint.Listener.NONE).run(true);

        assertThat(dryRun.eventNamesPruned()).isZero();
        assertThat(fx.count("SELECT count(*) FROM huddle.org_event_names")).isEqualTo(8);

        RetentionReport report = fx.service(Checkpoint.Listener.NONE).run(false);

        assertThat(report.eventNamesPruned()).isEqualTo(4);
        assertThat(fx.strings("SELECT DISTINCT day::text FROM huddle.org_event_names"))
                .containsExactlyInAnyOrder(graceDay.toString(), recent.toString());
        assertThat(report.toLogLine(java.time.Instant.EPOCH)).contains("\"EventNamesPruned\":4");
    }

    @Test
    void writesAManifestThatDescribesTheStoredObjectExactly() throws Exception {
        fx.seedDay(old, 120);

        fx.service(Checkpoint.Listener.NONE).run(false);

        JsonNode manifest = Json.mapper().readTree(fx.object(manifestKey(ANALYTICS, old)));
        byte[] stored = fx.object(objectKey(ANALYTICS, old));
        assertThat(manifest.get("table").asText()).isEqualTo(ANALYTICS);
        assertThat(manifest.get("partition").asText()).isEqualTo(partitionName(ANALYTICS, old));
        assertThat(manifest.get("day").asText()).isEqualTo(old.toString());
        assertThat(manifest.get("rowCount").asLong()).isEqualTo(120);
        assertThat(manifest.get("byteCount").asLong()).isEqualTo(stored.length);
        assertThat(manifest.get("sha256").asText())
                .isEqualTo(HexFormat.of().formatHex(Digests.sha256().digest(stored)));
        assertThat(fx.strings("SELECT sha256 FROM huddle.dropped_partitions WHERE partition_name = '"
                + partitionName(ANALYTICS, old) + "'")).containsExactly(manifest.get("sha256").asText());
    }

    @Test
    void exportsEachRowAsOneJsonObject_withTextEscapedExactlyOnce() throws Exception {
        fx.seedDay(old, 3);

        fx.service(Checkpoint.Listener.NONE).run(false);

        JsonNode row = Json.mapper().readTree(fx.snapshotLines(objectKey(ANALYTICS, old)).get(0));
        assertThat(row.get("properties").get("note").asText())
                .isEqualTo("quote \" backslash \\ tab \t newline \n é");
        assertThat(row.get("occurred_at").asText()).startsWith(old.toString()).endsWith("+00:00");
        JsonNode progress = Json.mapper().readTree(fx.snapshotLines(objectKey(PROGRESS, old)).get(0));
        assertThat(progress.get("progress_percent").decimalValue()).isEqualByComparingTo("12.5");
        assertThat(progress.get("event_id").asText()).startsWith("p-" + old);
    }

    @Test
    void listsWhatItWouldDrop_andTouchesNothing_onADryRun() throws Exception {
        seedFourDays();
        Set<String> before = fx.partitions();

        RetentionReport report = fx.service(Checkpoint.Listener.NONE).run(true);

        assertThat(report.partitions()).extracting(PartitionOutcome::partition).containsExactly(
                partitionName(ANALYTICS, oldest), partitionName(PROGRESS, oldest),
                partitionName(ANALYTICS, old), partitionName(PROGRESS, old));
        assertThat(report.partitions()).allSatisfy(p ->
                assertThat(p.action()).isEqualTo(PartitionOutcome.Action.WOULD_SNAPSHOT_AND_DROP));
        assertThat(report.partitions().get(1).rows()).isEqualTo(300);
        assertThat(fx.partitions()).isEqualTo(before);
        assertThat(fx.bucketKeys()).isEmpty();
        assertThat(fx.count("SELECT count(*) FROM huddle.dropped_partitions")).isZero();
    }

    @ParameterizedTest
    @EnumSource(Checkpoint.class)
    void finishesTheJobWithNothingLostOrDuplicated_whenRerunAfterACrash(Checkpoint crashPoint) throws Exception {
        seedFourDays();
        Checkpoint.Listener crashOnce = (checkpoint, partition) -> {
            if (checkpoint == crashPoint && partition.day().equals(old)) {
                throw new SimulatedCrash(checkpoint);
            }
        };

        assertThatThrownBy(() -> fx.service(crashOnce).run(false)).isInstanceOf(SimulatedCrash.class);
        // The partition the crash hit is still there, attached, with all its rows.
        String hit = partitionName(ANALYTICS, old);
        assertThat(fx.isAttached(hit)).isTrue();
        assertThat(fx.count("SELECT count(*) FROM huddle." + hit)).isEqualTo(200);

        RetentionReport rerun = fx.service(Checkpoint.Listener.NONE).run(false);

        assertThat(rerun.skipped()).isZero();
        assertRetiredCompletely();
        Set<String> exportedIds = new TreeSet<>();
        for (String line : fx.snapshotLines(objectKey(ANALYTICS, old))) {
            exportedIds.add(Json.mapper().readTree(line).get("event_id").asText());
        }
        assertThat(exportedIds).hasSize(200).contains("a-" + old + "-1", "a-" + old + "-200");
    }

    @Test
    void reusesAVerifiedSnapshot_whenTheCrashCameAfterTheManifest() throws Exception {
        fx.seedDay(old, 10);
        Checkpoint.Listener crash = (checkpoint, partition) -> {
            if (checkpoint == Checkpoint.DETACHED) {
                throw new SimulatedCrash(checkpoint);
            }
        };
        assertThatThrownBy(() -> fx.service(crash).run(false)).isInstanceOf(SimulatedCrash.class);

        RetentionReport rerun = fx.service(Checkpoint.Listener.NONE).run(false);

        assertThat(rerun.partitions()).extracting(PartitionOutcome::action)
                .contains(PartitionOutcome.Action.DROPPED_WITH_EXISTING_SNAPSHOT);
        assertThat(fx.partitions()).doesNotContain(partitionName(ANALYTICS, old), partitionName(PROGRESS, old));
    }

    @Test
    void keepsThePartition_whenTheStoredSnapshotIsShortOrCorrupt() throws Exception {
        fx.seedDay(old, 500);
        Checkpoint.Listener truncateUpload = (checkpoint, partition) -> {
            if (checkpoint == Checkpoint.UPLOADED && partition.parentTable().equals(PROGRESS)) {
                String key = objectKey(PROGRESS, old);
                byte[] stored = fx.object(key);
                fx.s3.putObject(b -> b.bucket(fx.bucket).key(key),
                        software.amazon.awssdk.core.sync.RequestBody.fromBytes(java.util.Arrays.copyOf(stored, stored.length / 2)));
            }
        };

        RetentionReport report = fx.service(truncateUpload).run(false);

        PartitionOutcome kept = report.partitions().stream()
                .filter(p -> p.partition().equals(partitionName(PROGRESS, old))).findFirst().orElseThrow();
        assertThat(kept.action()).isEqualTo(PartitionOutcome.Action.SKIPPED);
        assertThat(kept.reason()).startsWith("snapshot_unverified");
        assertThat(fx.count("SELECT count(*) FROM huddle." + partitionName(PROGRESS, old))).isEqualTo(500);
        assertThat(fx.partitions()).doesNotContain(partitionName(ANALYTICS, old));

        RetentionReport rerun = fx.service(Checkpoint.Listener.NONE).run(false);

        assertThat(rerun.dropped()).isEqualTo(1);
        assertThat(fx.snapshotLines(objectKey(PROGRESS, old))).hasSize(500);
    }

    @Test
    void keepsThePartitionForTheNextRun_whenIngestHoldsTheTableLongerThanTheLockTimeout() throws Exception {
        fx.seedDay(old, 30);
        RetentionReport report;
        try (var ingest = fx.connect(); var statement = ingest.createStatement()) {
            // An open transaction that read the table holds ACCESS SHARE, which DETACH must wait for.
            ingest.setAutoCommit(false);
            statement.executeQuery("SELECT count(*) FROM huddle.progress_events").close();

            report = fx.service(java.time.Duration.ofMillis(200)).run(false);

            ingest.rollback();
        }
        assertThat(report.partitions()).filteredOn(p -> p.partition().equals(partitionName(PROGRESS, old)))
                .singleElement().satisfies(p -> assertThat(p.reason()).isEqualTo("lock_timeout"));
        assertThat(fx.count("SELECT count(*) FROM huddle." + partitionName(PROGRESS, old))).isEqualTo(30);

        RetentionReport rerun = fx.service(Checkpoint.Listener.NONE).run(false);

        assertThat(rerun.partitions()).extracting(PartitionOutcome::action)
                .containsExactly(PartitionOutcome.Action.DROPPED_WITH_EXISTING_SNAPSHOT);
        assertThat(fx.partitions()).doesNotContain(partitionName(PROGRESS, old));
    }

    @Test
    void anErrorInOnePartition_isReportedAndTheRunGoesOnWithTheOthers_andTheNextRunFinishesIt() throws Exception {
        seedFourDays();
        // The oldest partition fails every time (as a COPY past its statement timeout would), oldest first.
        Checkpoint.Listener failOldest = (checkpoint, partition) -> {
            if (checkpoint == Checkpoint.UPLOADED && partition.day().equals(oldest) && partition.parentTable().equals(PROGRESS)) {
                throw new IllegalStateException("injected export failure with row data that must not be logged");
            }
        };

        RetentionReport report = fx.service(failOldest).run(false);

        assertThat(report.status()).isEqualTo(RetentionReport.COMPLETED_WITH_FAILURES);
        assertThat(report.failed()).isEqualTo(1);
        assertThat(report.partitions()).filteredOn(p -> p.action() == PartitionOutcome.Action.FAILED).singleElement()
                .satisfies(p -> assertThat(p.partition()).isEqualTo(partitionName(PROGRESS, oldest)))
                .satisfies(p -> assertThat(p.reason()).isEqualTo("IllegalStateException"));
        assertThat(report.dropped()).as("the three other due partitions were retired").isEqualTo(3);
        assertThat(fx.partitions()).contains(partitionName(PROGRESS, oldest))
                .doesNotContain(partitionName(ANALYTICS, oldest), partitionName(PROGRESS, old), partitionName(ANALYTICS, old));
        assertThat(fx.count("SELECT count(*) FROM huddle." + partitionName(PROGRESS, oldest))).isEqualTo(300);
        assertThat(report.oldestPartitionAgeDays()).isEqualTo(34);
        assertThat(fx.logLines).anySatisfy(line -> assertThat(line).contains("\"PartitionsFailed\":1")
                .contains("\"OldestPartitionAgeDays\":34").contains(partitionName(PROGRESS, oldest) + ":IllegalStateException")
                .doesNotContain("row data"));

        RetentionReport rerun = fx.service(Checkpoint.Listener.NONE).run(false);

        assertThat(rerun.status()).isEqualTo(RetentionReport.COMPLETED);
        assertThat(rerun.failed()).isZero();
        assertRetiredCompletely();
        assertThat(rerun.oldestPartitionAgeDays()).as("the grace day is the oldest left").isEqualTo(31);
    }

    @Test
    void aPartitionTooBigForOneInvocation_isExportedInPartsAcrossRuns_andDroppedOnlyWhenAllPartsVerified() throws Exception {
        fx.seedDay(old, 250);
        RetentionService inParts = fx.service(100);  // 250 rows: 3 parts per partition, 2 partitions due

        RetentionReport first = inParts.run(false, exportsAllowed(2));

        assertThat(first.partitions()).extracting(PartitionOutcome::reason).containsExactlyInAnyOrder(
                "export_in_progress: 2 of 3 parts", "export_in_progress: 0 of 3 parts");
        String ahead = first.partitions().stream().filter(p -> p.reason().startsWith("export_in_progress: 2"))
                .findFirst().orElseThrow().partition();
        String behind = ahead.equals(partitionName(ANALYTICS, old)) ? partitionName(PROGRESS, old) : partitionName(ANALYTICS, old);
        assertThat(first.dropped()).isZero();
        assertThat(fx.count("SELECT count(*) FROM huddle." + ahead)).isEqualTo(250);
        assertThat(fx.bucketKeys()).hasSize(4).allSatisfy(key -> assertThat(key).contains(".part-0000"));

        RetentionReport second = inParts.run(false, exportsAllowed(2));

        assertThat(second.partitions()).extracting(PartitionOutcome::partition, PartitionOutcome::action, PartitionOutcome::reason)
                .containsExactlyInAnyOrder(tuple(ahead, PartitionOutcome.Action.SNAPSHOTTED_AND_DROPPED, null),
                        tuple(behind, PartitionOutcome.Action.SKIPPED, "export_in_progress: 1 of 3 parts"));
        assertThat(fx.partitions()).doesNotContain(ahead).contains(behind);

        RetentionReport third = inParts.run(false);

        assertThat(third.dropped()).isEqualTo(1);
        assertThat(fx.partitions()).doesNotContain(behind);
        for (String table : List.of(PROGRESS, ANALYTICS)) {
            Set<String> ids = new TreeSet<>();
            long lines = 0;
            for (int part = 1; part <= 3; part++) {
                String key = objectKey(table, old).replace(".jsonl.gz", ".part-0000" + part + "-of-00003.jsonl.gz");
                for (String line : fx.snapshotLines(key)) {
                    ids.add(Json.mapper().readTree(line).get("event_id").asText());
                    lines++;
                }
            }
            assertThat(lines).as("every row once, in exactly one part").isEqualTo(250);
            assertThat(ids).hasSize(250);
            JsonNode manifest = Json.mapper().readTree(fx.object(manifestKey(table, old)));
            assertThat(manifest.get("rowCount").asLong()).isEqualTo(250);
            assertThat(manifest.get("format").asText()).isEqualTo(SnapshotManifest.PARTS_FORMAT);
            assertThat(manifest.get("parts")).hasSize(3);
        }
        assertThat(fx.count("SELECT count(*) FROM huddle.dropped_partitions WHERE row_count = 250"
                + " AND object_key LIKE '%.part-00001-of-00003.jsonl.gz'")).isEqualTo(2);
    }

    /** A run's remaining time that allows {@code exports} exports, then is nearly up. */
    private static java.util.function.LongSupplier exportsAllowed(int exports) {
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        return () -> asked.incrementAndGet() <= exports ? 3_600_000 : 1_000;
    }

    @Test
    void doesNothing_whileAnotherRunHoldsTheJob() throws Exception {
        fx.seedDay(old, 10);
        try (var other = fx.connectAsRetention(); var statement = other.createStatement()) {
            // Another run's lease, taken as the retention role over its own connection (the pooler's in the
            // pooled run): a lease, unlike a session lock, holds across connections and transactions.
            statement.execute("SELECT huddle_api.try_take_job_lease('retention', 'another-run', interval '10 minutes')");
        }

        RetentionReport report = fx.service(Checkpoint.Listener.NONE).run(false);

        assertThat(report.status()).isEqualTo(RetentionReport.ANOTHER_RUN_IN_PROGRESS);
        assertThat(report.partitions()).isEmpty();
        assertThat(fx.partitions()).contains(partitionName(PROGRESS, old));
        assertThat(fx.bucketKeys()).isEmpty();
        try (var other = fx.connectAsRetention(); var statement = other.createStatement()) {
            statement.execute("SELECT huddle_api.release_job_lease('retention', 'another-run')");
        }
        assertThat(fx.service(Checkpoint.Listener.NONE).run(false).dropped()).isEqualTo(2);
        assertThat(fx.count("SELECT count(*) FROM huddle.job_leases")).as("the run gave its lease back").isZero();
    }

    @Test
    void takesOverTheJob_whenAnotherRunsLeaseRanOut() throws Exception {
        fx.seedDay(old, 10);
        try (var other = fx.connectAsRetention(); var statement = other.createStatement()) {
            // A run that died an hour ago without giving its lease back.
            statement.execute("SELECT huddle_api.try_take_job_lease('retention', 'crashed-run', interval '-1 hour')");
        }

        RetentionReport report = fx.service(Checkpoint.Listener.NONE).run(false);

        assertThat(report.status()).isEqualTo(RetentionReport.COMPLETED);
        assertThat(report.dropped()).isEqualTo(2);
    }

    @Test
    void snapshotsAndDrops_aPartitionThatWasDetachedButNotDropped() throws Exception {
        fx.seedDay(old, 25);
        String detached = partitionName(PROGRESS, old);
        fx.execute("ALTER TABLE huddle.progress_events DETACH PARTITION huddle." + detached);

        fx.service(Checkpoint.Listener.NONE).run(false);

        assertThat(fx.partitions()).doesNotContain(detached);
        assertThat(fx.snapshotLines(objectKey(PROGRESS, old))).hasSize(25);
    }

    @Test
    void keepsAPartition_whoseRowsTheRollupsHaveNotReadYet() throws Exception {
        fx.seedDayNotRolledUp(old, 5);
        // The rollups have read the analytics events but not the progress events yet.
        fx.execute("INSERT INTO huddle.rollup_cursors (org_id, source, last_xid, last_seq)"
                + " SELECT 'org-1', 'analytics', max(ingest_xid), max(seq) FROM huddle.analytics_events");

        RetentionReport report = fx.service(Checkpoint.Listener.NONE).run(false);

        assertThat(report.partitions()).extracting(PartitionOutcome::partition, PartitionOutcome::reason)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(partitionName(ANALYTICS, old), null),
                        org.assertj.core.groups.Tuple.tuple(partitionName(PROGRESS, old), "not_rolled_up"));
        assertThat(fx.partitions()).contains(partitionName(PROGRESS, old));
        assertThat(fx.bucketKeys()).doesNotContain(objectKey(PROGRESS, old));
    }

    @Test
    void writesOneStructuredLogLinePerRun_withMetrics() throws Exception {
        seedFourDays();

        fx.service(Checkpoint.Listener.NONE).run(false);

        assertThat(fx.logLines).hasSize(1);
        JsonNode line = Json.mapper().readTree(fx.logLines.get(0));
        assertThat(line.get("event").asText()).isEqualTo("retention_run");
        assertThat(line.get("PartitionsDropped").asInt()).isEqualTo(4);
        assertThat(line.get("RowsExported").asLong()).isEqualTo(1000);
        assertThat(line.get("dropped").asText()).contains(partitionName(PROGRESS, oldest));
        assertThat(line.at("/_aws/CloudWatchMetrics/0/Metrics").findValuesAsText("Name"))
                .contains("PartitionsSnapshotted", "PartitionsDropped", "PartitionsSkipped", "BytesUploaded", "DurationMs");
    }

    @Test
    void stillReportsAResentEventInsideTheWindowAsDuplicate_afterRetention() throws Exception {
        seedFourDays();
        List<ProgressInput> event = List.of(new ProgressInput("resent-1", "lesson_progress", "course-101",
                "course-101-lesson-01", BigDecimal.TEN, 5, fx.today.minusDays(29).atTime(12, 0).toInstant(ZoneOffset.UTC)));
        assertThat(upsert(event)).isEqualTo(EventStatus.Status.ACCEPTED);

        fx.service(Checkpoint.Listener.NONE).run(false);

        assertThat(upsert(event)).isEqualTo(EventStatus.Status.DUPLICATE);
    }

    private EventStatus.Status upsert(List<ProgressInput> events) throws Exception {
        try (var c = fx.connect()) {
            return HuddleApi.upsertProgressBatch(c, "learner-0001", events, null).getFirst().status();
        }
    }

    /** Stands for the process dying: an Error, so no catch block of the job can swallow it. */
    static final class SimulatedCrash extends Error {
        SimulatedCrash(Checkpoint at) {
            super("simulated crash at " + at);
        }
    }
}
