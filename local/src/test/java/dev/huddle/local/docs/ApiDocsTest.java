package dev.huddle.local.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.huddle.local.stack.EmulatedStack;
import dev.huddle.local.stack.SharedTestStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The local stack serves readable docs at /docs/, every file of them from itself. */
class ApiDocsTest {
    private static final Pattern REFERENCE = Pattern.compile("(?:src|href)=\"([^\"]+)\"");
    private static final HttpClient client = HttpClient.newHttpClient();
    private static EmulatedStack stack;

    @BeforeAll
    static void useTheSharedStack() {
        stack = SharedTestStack.stack();
    }

    @Test
    void docsPage_isHtml_andEveryAssetItReferencesComesFromTheStack() throws Exception {
        HttpResponse<String> page = get("/docs/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        List<String> references = references(page.body());
        assertThat(references).as("the stylesheet and Swagger UI's bundle").hasSizeGreaterThanOrEqualTo(2);
        assertThat(references).as("relative references only: nothing from another host")
                .noneMatch(reference -> reference.contains("//") || reference.startsWith("/"));
        for (String reference : references) {
            HttpResponse<String> asset = get("/docs/" + reference);
            assertThat(asset.statusCode()).as(reference).isEqualTo(200);
            assertThat(asset.body()).as(reference).isNotEmpty();
        }
    }

    @Test
    void specServedToThePage_isTheRepositorysOpenApiYaml() throws Exception {
        HttpResponse<String> spec = get("/docs/openapi.yaml");

        assertThat(spec.statusCode()).isEqualTo(200);
        assertThat(spec.body()).isEqualTo(Files.readString(Path.of("..", "openapi.yaml")));
        assertThat(page().body()).as("the page renders that file").contains("url: \"openapi.yaml\"");
    }

    @Test
    void otherPathsUnderDocs_are404_andTheApiKeepsItsOwn404() throws Exception {
        assertThat(get("/docs/nothing-here").statusCode()).isEqualTo(404);
        assertThat(get("/api/nothing-here").statusCode()).isEqualTo(404);
        assertThat(get("/docs").statusCode()).as("redirected to /docs/").isEqualTo(200);
    }

    private static HttpResponse<String> page() throws Exception {
        return get("/docs/");
    }

    private static List<String> references(String html) {
        Matcher matcher = REFERENCE.matcher(html);
        return matcher.results().map(result -> result.group(1)).toList();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        HttpClient following = path.equals("/docs")
                ? HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build() : client;
        return following.send(HttpRequest.newBuilder(URI.create(stack.baseUrl() + path)).GET().build(),
                BodyHandlers.ofString());
    }
}
