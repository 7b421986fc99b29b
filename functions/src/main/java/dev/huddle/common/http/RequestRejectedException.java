package dev.huddle.common.http;

import java.util.Map;
import java.util.Objects;

/**
 * A request refused as a whole with an error response. The message is written for the client, so it must
 * never carry exception text or request content. Thrown for control flow, hence no stack trace.
 */
public final class RequestRejectedException extends RuntimeException {
    private final ErrorCode code;
    private final Map<String, String> headers;

    public RequestRejectedException(ErrorCode code, String clientMessage) {
        this(code, clientMessage, Map.of());
    }

    public RequestRejectedException(ErrorCode code, String clientMessage, Map<String, String> headers) {
        super(Objects.requireNonNull(clientMessage, "clientMessage == null"), null, false, false);
        this.code = Objects.requireNonNull(code, "code == null");
        this.headers = Map.copyOf(headers);
    }

    public ErrorCode code() {
        return code;
    }

    public HttpResponse toResponse() {
        return HttpResponse.error(code, getMessage()).withHeaders(headers);
    }
}
