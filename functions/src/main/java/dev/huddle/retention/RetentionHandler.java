package dev.huddle.retention;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.huddle.common.Json;
import dev.huddle.common.observability.LogSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.Map;

/**
 * The nightly retention run, triggered by an EventBridge schedule. The handler only adapts the event:
 * {@code "detail": {"dryRun": true}} in the scheduled event's detail asks for a dry run (handy for a
 * manual invoke). It returns the report; a failure throws, so the invocation counts as failed and
 * alarms, and the next night's run finishes whatever was left (every step is rerunnable).
 */
public final class RetentionHandler implements RequestHandler<ScheduledEvent, Map<String, Object>> {
    private final RetentionService service;

    /** Lambda's constructor: configuration from the environment. */
    public RetentionHandler() {
        this(RetentionConfig.from(System.getenv()));
    }

    /** The real wiring for a configuration (Lambda, the local stack), logging to stdout (CloudWatch on AWS). */
    public RetentionHandler(RetentionConfig config) {
        this(RetentionService.fromConfig(config, LogSink.stdout()));
    }

    RetentionHandler(RetentionService service) {
        this.service = service;
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
