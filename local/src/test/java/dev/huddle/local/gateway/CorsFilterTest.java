package dev.huddle.local.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.huddle.local.jwt.TestKeys;
import dev.huddle.local.jwt.TokenVerifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** CORS at the local front over real HTTP: preflights answered for allowed origins only. */
class CorsFilterTest {
    private static final String ALLOWED = "http://localhost:5173";
    private static final RecordingHandler handler = new RecordingHandler();
    private static final HttpClient client = HttpClient.newHttpClient();
    private static ApiGatewayFront front;

    @BeforeAll
    static void startFront() {
        handler.answer = event -> APIGatewayV2HTTPResponse.builder().withStatusCode(200).withBody("{}").build();
        LocalFunction health = new LocalFunction("test-health", Duration.ofSeconds(7), 2, () -> handler);
        front = ApiGatewayFront.start(new GatewaySettings("127.0.0.1", 0, 2, 4096),
                RouteTable.builder().open("GET", "/api/health", health).build(),
                new TokenVerifier(TestKeys.KEY, TestKeys.SETTINGS, Clock.systemUTC()), Clock.systemUTC());
        front.filterApi(new CorsFilter(List.of(ALLOWED)));
    }

    @AfterAll
    static void stopFront() {
        front.close();
    }

    @Test
    void answersPreflight_forAnAllowedOrigin_withoutReachingARoute() throws Exception {
        int invocations = handler.invocations.size();
        HttpResponse<String> response = send(preflight(ALLOWED));

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.headers().firstValue("access-control-allow-origin")).contains(ALLOWED);
        assertThat(response.headers().firstValue("access-control-allow-headers").orElseThrow())
                .contains("Authorization", "Content-Encoding", "X-Client-Queue-Depth");
        assertThat(response.headers().firstValue("access-control-allow-methods").orElseThrow()).contains("POST");
        assertThat(handler.invocations).hasSize(invocations);
    }

    @Test
    void doesNotAnswerPreflight_forAnotherOrigin() throws Exception {
        HttpResponse<String> response = send(preflight("https://evil.example"));

        assertThat(response.statusCode()).as("API Gateway's 404: no OPTIONS route").isEqualTo(404);
        assertThat(response.headers().firstValue("access-control-allow-origin")).isEmpty();
    }

    @Test
    void exposesTheBackPressureHeaders_onAnActualRequestFromAnAllowedOrigin() throws Exception {
        HttpResponse<String> allowed = send(HttpRequest.newBuilder(uri()).header("Origin", ALLOWED).GET().build());
        HttpResponse<String> other = send(HttpRequest.newBuilder(uri()).header("Origin", "https://evil.example")
                .GET().build());

        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("access-control-allow-origin")).contains(ALLOWED);
        assertThat(allowed.headers().firstValue("access-control-expose-headers").orElseThrow())
                .contains("Retry-After", "X-Client-Queue-Lag");
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.headers().firstValue("access-control-allow-origin")).isEmpty();
    }

    private static HttpRequest preflight(String origin) {
        return HttpRequest.newBuilder(uri())
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-encoding,x-client-queue-depth")
                .build();
    }

    private static URI uri() {
        return URI.create(front.baseUrl() + "/api/health");
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
