package dev.huddle.ops;

import dev.huddle.common.AwsClients;
import dev.huddle.common.AwsConfig;
import dev.huddle.ops.target.StateDirectory;
import dev.huddle.replay.DeadLetterReplayer;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
            "Queues: the options, else the stack running in --state-dir (its endpoints.json), else SQS_ENDPOINT /"
                    + " ROLLUP_QUEUE_URL / ROLLUP_DLQ_URL."
        })
public final class ReplayCommand implements Callable<Integer> {
    @Option(names = "--dry-run", description = "List the dead letters; move nothing.")
    boolean dryRun;

    @Option(names = "--max", paramLabel = "N", defaultValue = "1000",
            description = "The most dead letters to move or list (default: ${DEFAULT-VALUE}).")
    int max;

    @Option(names = "--sqs-endpoint", paramLabel = "URL",
            description = "SQS API endpoint (default: the stack running in --state-dir, else $SQS_ENDPOINT).")
    String sqsEndpoint;

    @Option(names = "--queue-url", paramLabel = "URL",
            description = "The rollup job queue (default: the running stack's, else $ROLLUP_QUEUE_URL).")
    String queueUrl;

    @Option(names = "--dlq-url", paramLabel = "URL",
            description = "Its dead-letter queue (default: the running stack's, else $ROLLUP_DLQ_URL).")
    String deadLetterQueueUrl;

    @Mixin
    StateDirectory stateDirectory;

    private final PrintStream out;

    ReplayCommand() {
        this(System.out);
    }

    ReplayCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("SQS_ENDPOINT", sqsEndpoint);
        overrides.put("ROLLUP_QUEUE_URL", queueUrl);
        overrides.put("ROLLUP_DLQ_URL", deadLetterQueueUrl);
        Map<String, String> settings = new HashMap<>(stateDirectory.stackSettings(System.getenv(), overrides,
                List.of("SQS_ENDPOINT", "ROLLUP_QUEUE_URL", "ROLLUP_DLQ_URL")));
        String jobQueue = settings.get("ROLLUP_QUEUE_URL");
        String deadLetters = settings.get("ROLLUP_DLQ_URL");
        // An operator's command, not the request path: allow more than the ingest send's budget.
        settings.put("SQS_TIMEOUT_MS", "10000");
        try (SqsClient sqs = AwsClients.sqs(AwsConfig.from(settings))) {
            DeadLetterReplayer.Report report = new DeadLetterReplayer(sqs, deadLetters, jobQueue)
                    .replay(dryRun, max);
            print(report, deadLetters);
        }
        return 0;
    }

    private void print(DeadLetterReplayer.Report report, String deadLetters) {
        out.printf("%s: %d dead letter(s) in %s (about %d in the queue)%n",
                report.dryRun() ? "Dry run, would move" : "Moved", report.messages().size(), deadLetters,
                report.approximateTotal());
        for (DeadLetterReplayer.DeadLetter letter : report.messages()) {
            out.printf("  %s  group %s  %s%n", letter.messageId(), letter.groupId(), letter.body());
        }
    }
}
