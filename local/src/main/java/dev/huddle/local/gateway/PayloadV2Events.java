package dev.huddle.local.gateway;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.RequestContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the Lambda event of API Gateway's HTTP API payload format 2.0, field by field as documented in
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 *
 * <ul>
 *   <li>header names lower-cased, repeated headers joined with commas; {@code Cookie} headers move to
 *       {@code cookies}; API Gateway's own {@code x-forwarded-*} and {@code x-amzn-trace-id} are added;</li>
 *   <li>{@code queryStringParameters} decoded, repeated parameters joined with commas, null when none;</li>
 *   <li>{@code pathParameters}: the route's path variables, decoded, null on a route without any;</li>
 *   <li>{@code requestContext.authorizer.jwt}: the claims as strings; {@code scopes} stays null because
 *       no route of this API declares authorization scopes (API Gateway fills it only for such routes).</li>
 * </ul>
 */
final class PayloadV2Events {
    static final String ACCOUNT_ID = "000000000000";
    static final String API_ID = "local";
    static final String STAGE = "$default";
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int localPort;

    PayloadV2Events(int localPort) {
        this.localPort = localPort;
    }

    /**
     * @param claims the verified token's claims as strings, or null on a route without authorizer
     */
    APIGatewayV2HTTPEvent build(IncomingRequest request, RouteTable.Match match, Map<String, String> claims,
            String requestId, Instant receivedAt) {
        Route route = match.route();
        BodyEncoding.EncodedBody body = BodyEncoding.encode(
                request.body(), request.header("content-type"), request.header("content-encoding"));
        String domainName = request.header("host") == null ? "127.0.0.1:" + localPort : request.header("host");
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(route.routeKey())
                .withRawPath(request.rawPath())
                .withRawQueryString(request.rawQuery())
                .withCookies(cookies(request))
                .withHeaders(headers(request))
                .withQueryStringParameters(queryParameters(request.rawQuery()))
                .withPathParameters(match.pathParameters().isEmpty() ? null : match.pathParameters())
                .withBody(body.body())
                .withIsBase64Encoded(body.base64())
                .withRequestContext(RequestContext.builder()
                        .withAccountId(ACCOUNT_ID)
                        .withApiId(API_ID)
                        .withDomainName(domainName)
                        .withDomainPrefix(domainName.split("\\.", 2)[0])
                        .withHttp(RequestContext.Http.builder()
                                .withMethod(request.method())
                                .withPath(request.rawPath())
                                .withProtocol(request.protocol())
                                .withSourceIp(request.sourceIp())
                                .withUserAgent(request.header("user-agent") == null ? "" : request.header("user-agent"))
                                .build())
                        .withRequestId(requestId)
                        .withRouteKey(route.routeKey())
                        .withStage(STAGE)
                        .withTime(REQUEST_TIME.format(receivedAt))
                        .withTimeEpoch(receivedAt.toEpochMilli())
                        .withAuthorizer(claims == null ? null : RequestContext.Authorizer.builder()
                                .withJwt(RequestContext.Authorizer.JWT.builder()
                                        .withClaims(claims)
                                        .withScopes(null)
                                        .build())
                                .build())
                        .build())
                .build();
    }

    /** API Gateway's request id format: 16 characters of base64, e.g. {@code "JKJaXmPLvHcESHA="}. */
    static String newRequestId() {
        byte[] bytes = new byte[11];
        RANDOM.nextBytes(bytes);
        return java.util.Base64.getEncoder().encodeToString(bytes);
    }

    private Map<String, String> headers(IncomingRequest request) {
        Map<String, String> headers = new LinkedHashMap<>();
        request.headers().forEach((name, values) -> {
            if (!name.equals("cookie")) {
                headers.put(name, String.join(",", values));
            }
        });
        headers.merge("x-forwarded-for", request.sourceIp(), (client, proxy) -> client + ", " + proxy);
        headers.put("x-forwarded-port", Integer.toString(localPort));
        headers.put("x-forwarded-proto", "http");
        headers.put("x-amzn-trace-id", traceId());
        return headers;
    }

    private static List<String> cookies(IncomingRequest request) {
        List<String> cookies = new ArrayList<>();
        for (String header : request.headers().getOrDefault("cookie", List.of())) {
            for (String cookie : header.split(";")) {
                if (!cookie.isBlank()) {
                    cookies.add(cookie.trim());
                }
            }
        }
        return cookies.isEmpty() ? null : cookies;
    }

    private static Map<String, String> queryParameters(String rawQuery) {
        if (rawQuery.isEmpty()) {
            return null;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String[] nameValue = pair.split("=", 2);
            String name = decode(nameValue[0]);
            String value = nameValue.length > 1 ? decode(nameValue[1]) : "";
            parameters.merge(name, value, (first, next) -> first + "," + next);
        }
        return parameters.isEmpty() ? null : parameters;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformedEscape) {
            return text;
        }
    }

    private static String traceId() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return "Root=1-" + Long.toHexString(Instant.now().getEpochSecond()) + "-" + HexFormat.of().formatHex(bytes);
    }
}
