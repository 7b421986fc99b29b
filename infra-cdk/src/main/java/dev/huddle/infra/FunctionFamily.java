package dev.huddle.infra;

import java.util.Locale;

/**
 * The jar a function is deployed from. functions/ builds one jar per family (the shade executions of its
 * pom.xml, named by {@link #classifier()}), each holding only what its handlers load, so ingest carries no
 * Flyway, S3 SDK or joda-time (issue 12).
 */
public enum FunctionFamily {
    /** The API routes: IngestHandler, HealthHandler, AdminRollupsHandler. */
    INGEST,
    /** The rollup pipeline: worker, sweep, dead-letter replay. */
    ROLLUP,
    /** The retention job (S3 snapshots). */
    RETENTION,
    /** The deploy-time migrations (Flyway). */
    MIGRATE;

    /** The jar's classifier in functions/pom.xml: huddle-functions-&lt;version&gt;-&lt;classifier&gt;.jar. */
    public String classifier() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The family's jar as functions/ builds it. */
    public String jarName() {
        return "huddle-functions-0.1.0-SNAPSHOT-" + classifier() + ".jar";
    }
}
