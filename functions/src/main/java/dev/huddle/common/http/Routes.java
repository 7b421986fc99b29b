package dev.huddle.common.http;

import java.util.Optional;

/**
 * The answers every HTTP function gives to a request outside its routes, in one place: 404 for a path it
 * does not serve, 405 with {@code Allow} for another method on one it does. API Gateway sends a function only
 * the routes it is integrated with, so these answer direct invocations and a catch-all {@code $default} route.
 */
public final class Routes {
    private Routes() {
    }

    /**
     * @param served whether the request's path (or route key) is one of the function's routes
     * @param method the one method those routes take
     * @return the refusal, or empty when the request is for this function
     */
    public static Optional<HttpResponse> refusal(HttpRequest request, boolean served, String method) {
        if (!served) {
            return Optional.of(HttpResponse.error(ErrorCode.NOT_FOUND, "No such route"));
        }
        if (!method.equalsIgnoreCase(request.method())) {
            return Optional.of(HttpResponse.error(ErrorCode.METHOD_NOT_ALLOWED, "Use " + method + " on this route")
                    .withHeader("Allow", method));
        }
        return Optional.empty();
    }
}
