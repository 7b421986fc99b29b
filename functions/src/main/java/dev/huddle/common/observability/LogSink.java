package dev.huddle.common.observability;

/**
 * Where structured log lines go. In Lambda that is stdout, which the runtime ships to CloudWatch Logs,
 * where EMF lines also become metrics. There is deliberately no logging framework in the Lambda jar: one
 * JSON line per request needs none, and every library left out shortens the cold start and the jar.
 */
@FunctionalInterface
public interface LogSink {

    void write(String jsonLine);

    static LogSink stdout() {
        return line -> {
            // One println per line: the Lambda runtime turns each stdout line into one log event.
            System.out.println(line);
        };
    }
}
