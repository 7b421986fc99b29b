package dev.huddle.common;

/**
 * A dependency (PostgreSQL, DynamoDB) is down, slow or overloaded. Callers answer 503 with Retry-After;
 * nothing of the request was written.
 */
public final class DependencyUnavailableException extends RuntimeException {
    private final String dependency;

    public DependencyUnavailableException(String dependency, String message, Throwable cause) {
        super(dependency + ": " + message, cause);
        this.dependency = dependency;
    }

    public String dependency() {
        return dependency;
    }
}
