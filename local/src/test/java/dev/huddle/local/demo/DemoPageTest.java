package dev.huddle.local.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.huddle.local.gateway.ApiGatewayFront;
import dev.huddle.local.gateway.GatewaySettings;
import dev.huddle.local.gateway.RouteTable;
import dev.huddle.local.jwt.TestKeys;
import dev.huddle.local.jwt.TokenIssuer;
import dev.huddle.local.jwt.TokenVerification;
import dev.huddle.local.jwt.TokenVerifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The demo page's files and tokens over real HTTP from a front that serves it. */
class DemoPageTest {
    private static final HttpClient client = HttpClient.newHttpClient();
    private static ApiGatewayFront front;

    @BeforeAll
    static void startFront() {
        front = ApiGatewayFront.start(new GatewaySettings("127.0.0.1", 0, 2, 4096), RouteTable.builder().build(),
                new TokenVerifier(TestKeys.KEY, TestKeys.SETTINGS, Clock.systemUTC()), Clock.systemUTC());
        front.serveOutsideApi(DemoPage.PATH, new DemoPage(new TokenIssuer(TestKeys.KEY, TestKeys.SETTINGS),
                Clock.systemUTC())::handle);
    }

    @AfterAll
    static void stopFront() {
        front.close();
    }

    @Test
    void servesThePage_itsScript_andTheClientBundleTheBuildPutOnTheClasspath() throws Exception {
        HttpResponse<String> page = get("/demo/");
        HttpResponse<String> script = get("/demo/demo.js");
        HttpResponse<String> bundle = get("/demo/huddle-client.js");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type").orElseThrow()).startsWith("text/html");
        assertThat(page.body()).contains("<script type=\"module\" src=\"demo.js\">");
        assertThat(script.body()).contains("from \"./huddle-client.js\"");
        assertThat(bundle.statusCode()).as("the bundle from web-client/ (built by the Maven build)").isEqualTo(200);
        assertThat(bundle.headers().firstValue("content-type").orElseThrow()).startsWith("text/javascript");
        assertThat(bundle.body()).contains("as createClient");
    }

    @Test
    void issuesAValidToken_forALearner_only() throws Exception {
        HttpResponse<String> token = get("/demo/token?user=learner-0042");
        HttpResponse<String> other = get("/demo/token?user=admin-1");

        assertThat(token.statusCode()).isEqualTo(200);
        TokenVerification verified = new TokenVerifier(TestKeys.KEY, TestKeys.SETTINGS, Clock.systemUTC())
                .verify(token.body());
        assertThat(verified).isInstanceOfSatisfying(TokenVerification.Verified.class,
                v -> assertThat(v.claims()).containsEntry("sub", "learner-0042"));
        assertThat(other.statusCode()).isEqualTo(400);
    }

    @Test
    void refusesOtherFilesAndMethods() throws Exception {
        assertThat(get("/demo/../pom.xml").statusCode()).isEqualTo(404);
        assertThat(get("/demo/secret.txt").statusCode()).isEqualTo(404);
        assertThat(client.send(HttpRequest.newBuilder(URI.create(front.baseUrl() + "/demo/"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(405);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(front.baseUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
