package dev.huddle.retention;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.huddle.common.AwsClients;
import dev.huddle.common.Config;
import dev.huddle.common.Json;
import dev.huddle.common.db.ConnectionFactory;
import dev.huddle.common.observability.LogSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The nightly retention run, triggered by an EventBridge schedule. The handler only adapts the event:
 * {@code "detail": {"dryRun": true}} in the scheduled event's detail asks for a dry run (handy for a
 * manual invoke). It returns the report; a failure throws, so the invocation counts as failed and
 * alarms, and the next night's run finishes whatever was left (every step is rerunnable).
 */
public final class RetentionHandler implements RequestHandler<ScheduledEvent, Map<String, Object>> {
    /** A whole partition is streamed inside one statement: far beyond the request path's timeout. */
    static final Duration STATEMENT_TIMEOUT = Duration.ofMinutes(14);

    private final RetentionService service;

    /** Lambda's constructor: configuration from the environment, clients built once per container. */
    public RetentionHandler() {
        this(create(Config.fromEnvironment()));
    }

    public RetentionHandler(RetentionService service) {
        this.service = service;
    }

    public static RetentionHandler fromConfig(Config config) {
        return new RetentionHandler(create(config));
    }

    /** The production service for a configuration, logging to stdout (CloudWatch on AWS). */
    public static RetentionService create(Config config) {
        return create(config, LogSink.stdout());
    }

    /** The same with its own log sink: the local stack's retention command keeps stdout for its summary. */
    public static RetentionService create(Config config, LogSink log) {
        ConnectionFactory connections = ConnectionFactory.fromConfig(config, config.dbConnectTimeout(),
                STATEMENT_TIMEOUT, "huddle-retention");
        return new RetentionService(connections, new SnapshotBucket(AwsClients.s3(config), config.snapshotBucket()),
                Clock.systemUTC(), config.retentionDays(), config.partitionsAheadDays(), Checkpoint.Listener.NONE, log);
    }

    @Override
    public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
        try {
            RetentionReport report = service.run(isDryRun(event),
                    context == null ? () -> Long.MAX_VALUE : context::getRemainingTimeInMillis);
            return Json.mapper().convertValue(report, new TypeReference<Map<String, Object>>() { });
        } catch (SQLException e) {
            throw new IllegalStateException("retention failed (SQLState " + e.getSQLState() + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("retention failed", e);
        }
    }

    static boolean isDryRun(ScheduledEvent event) {
        Map<String, Object> detail = event == null ? null : event.getDetail();
        return detail != null && Boolean.TRUE.equals(detail.get("dryRun"));
    }
}
