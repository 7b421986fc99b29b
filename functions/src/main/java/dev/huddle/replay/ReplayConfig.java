package dev.huddle.replay;

import dev.huddle.common.AwsConfig;
import dev.huddle.common.Settings;
import java.util.Map;

/** The dead-letter replay function's settings: the rollup job queue and its dead-letter queue, both required. */
public record ReplayConfig(AwsConfig aws, String queueUrl, String dlqUrl) {

    public static ReplayConfig from(Map<String, String> env) {
        Settings s = Settings.of(env);
        return new ReplayConfig(
                AwsConfig.from(env),
                s.rollupQueueUrl().orElseThrow(() -> new IllegalStateException("ROLLUP_QUEUE_URL is required")),
                s.optionalText("ROLLUP_DLQ_URL").orElseThrow(() -> new IllegalStateException("ROLLUP_DLQ_URL is required")));
    }
}
