package dev.huddle.replay;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.huddle.common.AwsClients;
import dev.huddle.common.observability.EmfDocument;
import dev.huddle.common.observability.LogSink;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lambda entry point for replaying rollup dead letters, invoked by an operator (console or
 * {@code aws lambda invoke}) with {@code {"dryRun": true|false, "maxMessages": n}}; both optional
 * (default: dry run, 100 messages), so an accidental empty invocation moves nothing.
 */
public final class DeadLetterReplayHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private static final int DEFAULT_MAX_MESSAGES = 100;

    private final DeadLetterReplayer replayer;
    private final LogSink logSink;
    private final Clock clock;

    /** Lambda's constructor: configuration from the environment. */
    public DeadLetterReplayHandler() {
        this(ReplayConfig.from(System.getenv()));
    }

    /** The real wiring for a configuration: the SQS client built once per container. */
    public DeadLetterReplayHandler(ReplayConfig config) {
        this(new DeadLetterReplayer(AwsClients.sqs(config.aws()), config.dlqUrl(), config.queueUrl()),
                LogSink.stdout(), Clock.systemUTC());
    }

    /** The replayer, and where its metric line goes. */
    DeadLetterReplayHandler(DeadLetterReplayer replayer, LogSink logSink, Clock clock) {
        this.replayer = replayer;
        this.logSink = logSink;
        this.clock = clock;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        Map<String, Object> options = input == null ? Map.of() : input;
        boolean dryRun = !Boolean.FALSE.equals(options.get("dryRun"));
        int maxMessages = options.get("maxMessages") instanceof Number n ? n.intValue() : DEFAULT_MAX_MESSAGES;
        DeadLetterReplayer.Report report = replayer.replay(dryRun, maxMessages);
        logSink.write(new EmfDocument("Huddle/Rollup", clock.instant())
                .dimension("operation", dryRun ? "replayDryRun" : "replay")
                .metric("deadLettersListed", dryRun ? report.messages().size() : 0, "Count")
                .metric("deadLettersReplayed", dryRun ? 0 : report.messages().size(), "Count")
                .toJson());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("dryRun", dryRun);
        result.put("approximateTotal", report.approximateTotal());
        List<Map<String, String>> messages = report.messages().stream()
                .map(m -> Map.of("messageId", m.messageId(), "groupId", String.valueOf(m.groupId()), "body", m.body()))
                .toList();
        result.put(dryRun ? "wouldReplay" : "replayed", messages);
        return result;
    }
}
