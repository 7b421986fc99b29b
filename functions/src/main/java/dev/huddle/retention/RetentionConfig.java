package dev.huddle.retention;

import dev.huddle.common.AwsConfig;
import dev.huddle.common.DatabaseConfig;
import dev.huddle.common.Settings;
import java.util.Map;

/**
 * The retention function's settings, read once per container.
 *
 * @param snapshotBucket retention writes each dropped partition's rows here before it drops them
 * @param partitionsAheadDays daily partitions kept created ahead of today; retention tops them up on every run
 */
public record RetentionConfig(
        DatabaseConfig database,
        AwsConfig aws,
        String snapshotBucket,
        int retentionDays,
        int partitionsAheadDays) {

    public static RetentionConfig from(Map<String, String> env) {
        Settings s = Settings.of(env);
        return new RetentionConfig(
                DatabaseConfig.from(env),
                AwsConfig.from(env),
                s.text("SNAPSHOT_BUCKET", "huddle-snapshots"),
                s.retentionDays(),
                s.integer("PARTITIONS_AHEAD_DAYS", 14));
    }
}
