package dev.huddle.local.docs;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The readable API docs of the local stack at {@value #PATH}: Swagger UI rendering openapi.yaml, every file
 * from this jar (the page names no other host, and the validator badge, Swagger UI's one call out, is off),
 * so the docs work on a machine without internet access.
 *
 * <p>openapi.yaml is the repository's own file, copied into the jar by the build (local/pom.xml); Swagger
 * UI comes from its webjar (org.webjars:swagger-ui), of which the shade filter keeps only the files below.
 */
public final class ApiDocs {
    public static final String PATH = "/docs/";
    private static final String OWN = "/dev/huddle/local/docs/";
    private static final String WEBJAR = "/META-INF/resources/webjars/swagger-ui/" + swaggerUiVersion() + "/";

    /** Path under {@value #PATH} to the classpath resource and its content type. */
    private static final Map<String, Asset> ASSETS = Map.of(
            "", new Asset(OWN + "index.html", "text/html; charset=utf-8"),
            "index.html", new Asset(OWN + "index.html", "text/html; charset=utf-8"),
            "openapi.yaml", new Asset(OWN + "openapi.yaml", "application/yaml; charset=utf-8"),
            "swagger-ui/swagger-ui-bundle.js", new Asset(WEBJAR + "swagger-ui-bundle.js", "text/javascript; charset=utf-8"),
            "swagger-ui/swagger-ui.css", new Asset(WEBJAR + "swagger-ui.css", "text/css; charset=utf-8"));

    private record Asset(String resource, String contentType) {
    }

    private ApiDocs() {
    }

    /** openapi.yaml as served at /docs/openapi.yaml. */
    public static String openApiYaml() {
        return new String(read(OWN + "openapi.yaml"), StandardCharsets.UTF_8);
    }

    /** Answers one request under /docs (GET or HEAD; /docs itself redirects to /docs/). */
    public static void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            if (path.equals("/docs")) {
                exchange.getResponseHeaders().set("Location", PATH);
                exchange.sendResponseHeaders(308, -1);
                return;
            }
            Optional<Asset> asset = path.startsWith(PATH)
                    ? Optional.ofNullable(ASSETS.get(path.substring(PATH.length()))) : Optional.empty();
            if (asset.isEmpty()) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = read(asset.get().resource());
            exchange.getResponseHeaders().set("Content-Type", asset.get().contentType());
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            if (method.equals("HEAD")) {
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static byte[] read(String resource) {
        try (InputStream in = ApiDocs.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing from the jar: " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The webjar's folder is named for its version, which its Maven metadata tells. */
    private static String swaggerUiVersion() {
        Properties properties = new Properties();
        try (InputStream in = ApiDocs.class.getResourceAsStream(
                "/META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("org.webjars:swagger-ui is not on the classpath");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version");
    }
}
