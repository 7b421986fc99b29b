package dev.huddle.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import dev.huddle.common.observability.LatencyEwma;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;

class HealthHandlerTest {
    private final HealthHandler handler = new HealthHandler(
            new HealthService(() -> new HealthProbe.Result(5, 2, 0), () -> RollupQueueGauge.Reading.of(3), new LatencyEwma(),
                    HealthConfig.from(Map.of())));

    @ParameterizedTest
    @Event(value = "events/apigw_v2_health.json", type = APIGatewayV2HTTPEvent.class)
    void answersTheHealthSample_withoutAToken(APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);
        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getBody()).contains("\"status\":\"ok\"").contains("\"backlog\":5")
                .contains("\"rollups\":{\"queueDepth\":3,\"oldestAgeSeconds\":0}");
    }

    @ParameterizedTest
    @Event(value = "events/apigw_v2_unknown_route.json", type = APIGatewayV2HTTPEvent.class)
    void answers404_forAnotherPath(APIGatewayV2HTTPEvent event) {
        assertThat(handler.handleRequest(event, null).getStatusCode()).isEqualTo(404);
    }

    @ParameterizedTest
    @Event(value = "events/apigw_v2_health.json", type = APIGatewayV2HTTPEvent.class)
    void answers405_forAnotherMethod(APIGatewayV2HTTPEvent event) {
        event.getRequestContext().getHttp().setMethod("POST");
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);
        assertThat(response.getStatusCode()).isEqualTo(405);
        assertThat(response.getHeaders()).containsEntry("Allow", "GET");
    }
}
