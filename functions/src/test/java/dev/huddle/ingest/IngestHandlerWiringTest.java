package dev.huddle.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;

/** The real wiring against servers that accept connections and never answer: who connects, and how long it takes. */
class IngestHandlerWiringTest {

    @ParameterizedTest
    @Event(value = "events/apigw_v2_progress_batch_no_claims.json", type = APIGatewayV2HTTPEvent.class)
    void withoutTheWarmUp_buildsWithoutConnecting_andRefusesAnUnauthenticatedRequest(APIGatewayV2HTTPEvent event)
            throws IOException {
        assertBuiltWithoutConnecting(event, Map.of("WARM_UP_AT_INIT", "false"));
    }

    @ParameterizedTest
    @Event(value = "events/apigw_v2_progress_batch_no_claims.json", type = APIGatewayV2HTTPEvent.class)
    void aSnapStartInit_connectsNothing_itsConnectionsWouldBeDeadAfterTheRestore(APIGatewayV2HTTPEvent event)
            throws IOException {
        assertBuiltWithoutConnecting(event, Map.of(IngestConfig.INITIALIZATION_TYPE, "snap-start"));
    }

    @ParameterizedTest
    @Event(value = "events/apigw_v2_progress_batch_no_claims.json", type = APIGatewayV2HTTPEvent.class)
    void aColdStartCallsBothDependencies_andDependenciesThatNeverAnswerCostItOnlyTheirBudgets(
            APIGatewayV2HTTPEvent event) throws IOException {
        try (SilentServer dynamoDb = new SilentServer(); SilentServer postgres = new SilentServer()) {
            long start = System.nanoTime();
            IngestHandler handler = new IngestHandler(IngestConfig.from(environment(dynamoDb, postgres, Map.of(
                    IngestConfig.INITIALIZATION_TYPE, "on-demand",
                    "DYNAMODB_FIRST_CALL_TIMEOUT_MS", "300",
                    "DB_CONNECT_TIMEOUT_MS", "500"))));
            long constructedMillis = (System.nanoTime() - start) / 1_000_000;

            assertThat(dynamoDb.accepted()).isPositive();
            assertThat(postgres.accepted()).isPositive();
            // DynamoDB's 300 ms and the database login's timeout (whole seconds in pgjdbc: 1 s) run at once;
            // the rest is class loading on a busy CI machine.
            assertThat(constructedMillis).isLessThan(5_000);
            assertThat(handler.handleRequest(event, null).getStatusCode()).isEqualTo(401);
        }
    }

    /** Builds the handler with {@code settings}: nothing connects, and a 401 needs no dependency. */
    private static void assertBuiltWithoutConnecting(APIGatewayV2HTTPEvent event, Map<String, String> settings)
            throws IOException {
        try (SilentServer dynamoDb = new SilentServer(); SilentServer postgres = new SilentServer()) {
            IngestHandler handler = new IngestHandler(IngestConfig.from(environment(dynamoDb, postgres, settings)));

            assertThat(handler.handleRequest(event, null).getStatusCode()).isEqualTo(401);
            assertThat(dynamoDb.accepted()).isZero();
            assertThat(postgres.accepted()).isZero();
        }
    }

    private static Map<String, String> environment(SilentServer dynamoDb, SilentServer postgres,
            Map<String, String> more) {
        Map<String, String> env = new HashMap<>(Map.of(
                "DB_URL", "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/none",
                "DB_SSL_MODE", "disable",
                "DYNAMODB_ENDPOINT", "http://127.0.0.1:" + dynamoDb.port()));
        env.putAll(more);
        return env;
    }

    /** Accepts every connection and never writes a byte: a dependency that hangs. */
    private static final class SilentServer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> connections = new CopyOnWriteArrayList<>();

        SilentServer() throws IOException {
            Thread acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        connections.add(socket.accept());
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "silent-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        int accepted() {
            return connections.size();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket c : connections) {
                c.close();
            }
        }
    }
}
