package dev.huddle.common;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads the functions' environment variables, which the stack (CDK or the local stack) sets, one at a time,
 * and says which one is wrong. Each function's settings record ({@code IngestConfig}, {@code RollupConfig},
 * ...) reads its own through it: the shared {@link DatabaseConfig} and {@link AwsConfig} plus its own. Only the
 * handlers' no-argument constructors (Lambda's) pass {@code System.getenv()}, once per container; nothing else
 * in the code reads the environment.
 */
public final class Settings {
    private final Map<String, String> env;

    private Settings(Map<String, String> env) {
        this.env = env;
    }

    public static Settings of(Map<String, String> env) {
        return new Settings(Map.copyOf(env));
    }

    public Optional<String> optionalText(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    public String text(String name, String fallback) {
        return optionalText(name).orElse(fallback);
    }

    public Optional<URI> optionalUri(String name) {
        return optionalText(name).map(URI::create);
    }

    public int integer(String name, int fallback) {
        return optionalText(name).map(v -> parse(name, v, Integer::parseInt)).orElse(fallback);
    }

    public long longInteger(String name, long fallback) {
        return optionalText(name).map(v -> parse(name, v, Long::parseLong)).orElse(fallback);
    }

    public double decimal(String name, double fallback) {
        return optionalText(name).map(v -> parse(name, v, Double::parseDouble)).orElse(fallback);
    }

    /** {@code true} or {@code false} (any case); anything else is refused rather than read as false. */
    public boolean bool(String name, boolean fallback) {
        return optionalText(name).map(v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(name + " is not true or false: " + v);
        }).orElse(fallback);
    }

    public Duration millis(String name, long fallback) {
        return Duration.ofMillis(longInteger(name, fallback));
    }

    /** RETRY_AFTER_SECONDS: the {@code Retry-After} of every HTTP function's 429 and 503 answers. */
    public int retryAfterSeconds() {
        return integer("RETRY_AFTER_SECONDS", 2);
    }

    /**
     * ROLLUP_QUEUE_URL: the FIFO queue of rollup jobs; without it the ingest path queues nothing and rollups
     * rely on the scheduled sweep alone.
     */
    public Optional<String> rollupQueueUrl() {
        return optionalText("ROLLUP_QUEUE_URL");
    }

    /**
     * RETENTION_DAYS: the days of events kept; ingest refuses older events, retention retires older
     * partitions.
     */
    public int retentionDays() {
        return integer("RETENTION_DAYS", 30);
    }

    private static <T> T parse(String name, String value, Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not a number: " + value, e);
        }
    }
}
