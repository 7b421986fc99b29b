package dev.huddle.local;

import dev.huddle.common.AwsClients;
import dev.huddle.common.Config;
import dev.huddle.replay.DeadLetterReplayer;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code replay [--dry-run]}: moves the rollup jobs in the dead-letter queue back to the job queue (the
 * AWS side has {@code DeadLetterReplayHandler}); the dry run lists them and moves nothing. The queues are
 * the running local stack's unless the options or the environment name others.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {
            "Moves dead-lettered rollup jobs back to the rollup job queue, in their message group; --dry-run lists"
                    + " them and moves nothing.",
            "Queues: the options, else SQS_ENDPOINT / ROLLUP_QUEUE_URL / ROLLUP_DLQ_URL, else the running local"
                    + " stack's (.local-stack/endpoints.json)."
        })
final class ReplayCommand implements Callable<Integer> {
    @Option(names = "--dry-run", description = "List the dead letters; move nothing.")
    boolean dryRun;

    @Option(names = "--max", paramLabel = "N", defaultValue = "1000",
            description = "The most dead letters to move or list (default: ${DEFAULT-VALUE}).")
    int max;

    @Option(names = "--sqs-endpoint", paramLabel = "URL", defaultValue = "${env:SQS_ENDPOINT}",
            description = "SQS API endpoint (default: $SQS_ENDPOINT, else the running stack's ElasticMQ, else AWS).")
    String sqsEndpoint;

    @Option(names = "--queue-url", paramLabel = "URL", defaultValue = "${env:ROLLUP_QUEUE_URL}",
            description = "The rollup job queue (default: $ROLLUP_QUEUE_URL, else the running stack's).")
    String queueUrl;

    @Option(names = "--dlq-url", paramLabel = "URL", defaultValue = "${env:ROLLUP_DLQ_URL}",
            description = "Its dead-letter queue (default: $ROLLUP_DLQ_URL, else the running stack's).")
    String deadLetterQueueUrl;

    private final PrintStream out;

    ReplayCommand() {
        this(System.out);
    }

    ReplayCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() {
        if (queueUrl == null || deadLetterQueueUrl == null) {
            throw new IllegalStateException("no rollup queues: start the local stack (`local-stack.jar run`) in this"
                    + " directory, or pass --queue-url and --dlq-url (or set ROLLUP_QUEUE_URL and ROLLUP_DLQ_URL)");
        }
        Map<String, String> settings = new HashMap<>(System.getenv());
        if (sqsEndpoint != null && !sqsEndpoint.isBlank()) {
            settings.put("SQS_ENDPOINT", sqsEndpoint);
        }
        // An operator's command, not the request path: allow more than the ingest send's budget.
        settings.put("SQS_TIMEOUT_MS", "10000");
        try (SqsClient sqs = AwsClients.sqs(Config.from(settings))) {
            DeadLetterReplayer.Report report = new DeadLetterReplayer(sqs, deadLetterQueueUrl, queueUrl)
                    .replay(dryRun, max);
            print(report);
        }
        return 0;
    }

    private void print(DeadLetterReplayer.Report report) {
        out.printf("%s: %d dead letter(s) in %s (about %d in the queue)%n",
                report.dryRun() ? "Dry run, would move" : "Moved", report.messages().size(), deadLetterQueueUrl,
                report.approximateTotal());
        for (DeadLetterReplayer.DeadLetter letter : report.messages()) {
            out.printf("  %s  group %s  %s%n", letter.messageId(), letter.groupId(), letter.body());
        }
    }
}
