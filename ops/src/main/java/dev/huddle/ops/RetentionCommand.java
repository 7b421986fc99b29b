package dev.huddle.ops;

import dev.huddle.common.Json;
import dev.huddle.ops.target.StackDatabaseOptions;
import dev.huddle.retention.PartitionOutcome;
import dev.huddle.retention.RetentionConfig;
import dev.huddle.retention.RetentionReport;
import dev.huddle.retention.RetentionService;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code local-stack.jar retention [--dry-run]}: one manual run of the nightly retention job. */
@Command(name = "retention", mixinStandardHelpOptions = true,
        description = {
            "Snapshots every daily event partition older than the retention window (RETENTION_DAYS, 30, plus one",
            "day of grace) to S3 as gzip JSON Lines with a manifest, verifies it, then detaches and drops the",
            "partition; tops up partitions ahead. --dry-run lists what it would do and changes nothing.",
            "The stack: the options, else the one running in --state-dir, else the settings as the Lambda reads them"
                    + " (DB_URL, SNAPSHOT_BUCKET, S3_ENDPOINT, ...)."})
public final class RetentionCommand implements Callable<Integer> {
    @Option(names = "--dry-run", description = "List the partitions it would snapshot and drop; touch nothing.")
    boolean dryRun;

    @Option(names = "--s3-endpoint", paramLabel = "URL",
            description = "S3 API endpoint (default: the stack running in --state-dir, else $S3_ENDPOINT).")
    String s3Endpoint;

    @Option(names = "--bucket",
            description = "Snapshot bucket (default: the running stack's, else $SNAPSHOT_BUCKET, else huddle-snapshots).")
    String bucket;

    @Mixin
    StackDatabaseOptions database;

    private final PrintStream out;

    public RetentionCommand() {
        this(System.out);
    }

    RetentionCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("S3_ENDPOINT", s3Endpoint);
        overrides.put("SNAPSHOT_BUCKET", bucket);
        Map<String, String> settings = database.settings(System.getenv(), overrides, List.of("S3_ENDPOINT"));
        // The run's structured log line (EMF, as CloudWatch gets it) goes to stderr: stdout is the summary
        // for people and, as its last line, the report as JSON.
        RetentionReport report = RetentionService.fromConfig(RetentionConfig.from(settings), System.err::println).run(dryRun);
        print(report, out);
        return report.skipped() == 0 ? 0 : 1;
    }

    /** A human summary, then the report as one JSON object (last line). */
    public static void print(RetentionReport report, PrintStream out) throws Exception {
        out.printf("%s (%s): partitions of days before %s%n", report.dryRun() ? "Dry run" : "Retention",
                report.status(), report.dropBefore());
        for (PartitionOutcome p : report.partitions()) {
            // A dry run uploads nothing, so it has no snapshot size to show.
            String bytes = report.dryRun() ? "" : String.format("  %,12d bytes", p.bytes());
            out.printf("  %-32s %s  %,10d rows%s  %s%s%n", p.partition(), p.day(), p.rows(), bytes,
                    p.action(), p.reason() == null ? "" : " (" + p.reason() + ")");
        }
        if (report.partitions().isEmpty()) {
            out.println("  nothing older than the window");
        }
        out.printf("%s %d partitions ahead; %s %,d old rows out of the DEFAULT partitions; forgot %,d event names"
                + " of retired days; %d ms%n",
                report.dryRun() ? "Would create" : "Created", report.partitionsCreatedAhead(),
                report.dryRun() ? "would move" : "moved", report.defaultRowsMoved(), report.eventNamesPruned(),
                report.durationMs());
        out.println(Json.mapper().writeValueAsString(report));
    }
}
