package dev.huddle.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;

class IngestHandlerWiringTest {

    @ParameterizedTest
    @Event(value = "events/apigw_v2_progress_batch_no_claims.json", type = APIGatewayV2HTTPEvent.class)
    void buildsTheRealWiringWithoutConnecting_andRefusesAnUnauthenticatedRequest(APIGatewayV2HTTPEvent event) {
        // Nothing listens on these endpoints: building must not connect, and a 401 must not need them.
        IngestHandler handler = new IngestHandler(IngestConfig.from(Map.of(
                "DB_URL", "jdbc:postgresql://127.0.0.1:1/none",
                "DYNAMODB_ENDPOINT", "http://127.0.0.1:1")));

        assertThat(handler.handleRequest(event, null).getStatusCode()).isEqualTo(401);
    }
}
