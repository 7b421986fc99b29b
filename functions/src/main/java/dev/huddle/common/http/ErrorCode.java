package dev.huddle.common.http;

/** The machine-readable error codes of the API contract, each with the HTTP status it is answered with. */
public enum ErrorCode {
    INVALID_JSON(400, "invalid_json"),
    INVALID_SHAPE(400, "invalid_shape"),
    /** A query parameter is missing or malformed (admin reads). */
    INVALID_QUERY(400, "invalid_query"),
    UNAUTHORIZED(401, "unauthorized"),
    FORBIDDEN_USER_MISMATCH(403, "forbidden_user_mismatch"),
    /** The token is valid but grants no right on the resource (admin routes). */
    FORBIDDEN(403, "forbidden"),
    NOT_FOUND(404, "not_found"),
    METHOD_NOT_ALLOWED(405, "method_not_allowed"),
    PAYLOAD_TOO_LARGE(413, "payload_too_large"),
    TOO_MANY_EVENTS(413, "too_many_events"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported_media_type"),
    UNSUPPORTED_ENCODING(415, "unsupported_encoding"),
    RATE_LIMITED(429, "rate_limited"),
    /** The learner's events or bytes of the UTC day are used up (DAILY_QUOTA_EVENTS, DAILY_QUOTA_BYTES). */
    DAILY_QUOTA_EXCEEDED(429, "daily_quota_exceeded"),
    INTERNAL_ERROR(500, "internal_error"),
    SERVICE_UNAVAILABLE(503, "service_unavailable");

    private final int status;
    private final String wireName;

    ErrorCode(int status, String wireName) {
        this.status = status;
        this.wireName = wireName;
    }

    public int status() {
        return status;
    }

    public String wireName() {
        return wireName;
    }
}
