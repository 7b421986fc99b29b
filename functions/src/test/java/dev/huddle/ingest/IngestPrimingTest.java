package dev.huddle.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.huddle.common.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestPrimingTest {

    @Test
    void runsASampleBatchThroughTheHotPath_andAcceptsIt() throws IOException {
        APIGatewayV2HTTPResponse response = new IngestPriming(IngestConfig.from(Map.of())).prime();

        assertThat(response.getStatusCode()).isEqualTo(200);
        JsonNode body = Json.mapper().readTree(response.getBody());
        assertThat(body.get("accepted")).extracting(JsonNode::asText)
                .containsExactly("priming-0", "priming-1", "priming-2");
        assertThat(body.get("rejected")).isEmpty();
    }

    @Test
    void loadsAndInitialisesEveryClassOfItsList() throws IOException {
        List<String> listed = listedClasses();

        int loaded = IngestPriming.preloadClasses();

        // Thousands: the SDK's request pipeline, Jackson, the JDBC driver, ours (one cold start's worth).
        assertThat(listed).hasSizeGreaterThan(1_000).contains("dev.huddle.ingest.IngestHandler",
                "software.amazon.awssdk.services.dynamodb.DefaultDynamoDbClient", "org.postgresql.jdbc.PgConnection");
        assertThat(loaded).as("classes of %s that load and initialise; if a dependency changed, write the list"
                + " again (IngestPriming.CLASS_LIST)", IngestPriming.CLASS_LIST).isEqualTo(listed.size());
    }

    @Test
    void connectsNeitherToTheDatabaseNorToDynamoDb_beforeTheSnapshot() throws IOException {
        // Listening sockets that count nothing but would see any connection attempt.
        try (ServerSocket database = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ServerSocket dynamoDb = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            database.setSoTimeout(1);
            dynamoDb.setSoTimeout(1);
            IngestConfig config = IngestConfig.from(Map.of(
                    "DB_URL", "jdbc:postgresql://127.0.0.1:" + database.getLocalPort() + "/huddle",
                    "DYNAMODB_ENDPOINT", "http://127.0.0.1:" + dynamoDb.getLocalPort()));

            new IngestPriming(config).beforeCheckpoint(null);

            assertThat(acceptsAConnection(database)).isFalse();
            assertThat(acceptsAConnection(dynamoDb)).isFalse();
        }
    }

    private static List<String> listedClasses() throws IOException {
        try (InputStream in = IngestPriming.class.getResourceAsStream(IngestPriming.CLASS_LIST)) {
            assertThat(in).as("the priming list next to IngestPriming").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(line -> !line.isBlank()).toList();
        }
    }

    /**
     * One accept with a 1 ms timeout, on purpose: beforeCheckpoint has returned, and a connect() returns only
     * after the kernel queued the connection on the listening socket, so any attempt is already waiting.
     */
    private static boolean acceptsAConnection(ServerSocket socket) {
        try (var ignored = socket.accept()) {
            return true;
        } catch (IOException timedOutWithNothingWaiting) {
            return false;
        }
    }
}
