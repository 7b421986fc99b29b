package dev.huddle.local.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTableTest {
    private static final LocalFunction ONE = function("one");
    private static final LocalFunction TWO = function("two");

    @Test
    void exactRoute_winsOverRouteWithVariable_whateverTheOrder() {
        RouteTable routes = RouteTable.builder()
                .jwt("GET", "/api/admin/orgs/{orgId}/rollups", ONE)
                .jwt("GET", "/api/admin/orgs/all/rollups", TWO)
                .build();

        RouteTable.Match exact = routes.find("GET", "/api/admin/orgs/all/rollups").orElseThrow();
        RouteTable.Match templated = routes.find("GET", "/api/admin/orgs/org-3/rollups").orElseThrow();

        assertThat(exact.route().function()).isSameAs(TWO);
        assertThat(exact.pathParameters()).isEmpty();
        assertThat(templated.route().function()).isSameAs(ONE);
        assertThat(templated.pathParameters()).isEqualTo(Map.of("orgId", "org-3"));
    }

    @Test
    void severalVariables_areAllExtracted_andPlusStaysAPlus() {
        RouteTable routes = RouteTable.builder().open("GET", "/a/{x}/b/{y}", ONE).build();

        assertThat(routes.find("GET", "/a/1+1/b/%C3%A9").orElseThrow().pathParameters())
                .isEqualTo(Map.of("x", "1+1", "y", "é"));
    }

    @Test
    void variable_doesNotMatchTrailingSlashOrMissingSegment() {
        RouteTable routes = RouteTable.builder().open("GET", "/a/{x}", ONE).build();

        assertThat(routes.find("GET", "/a/")).isEmpty();
        assertThat(routes.find("GET", "/a")).isEmpty();
        assertThat(routes.find("GET", "/a/1/")).isEmpty();
        assertThat(routes.find("get", "/a/1")).as("methods are case-sensitive").isEmpty();
    }

    @Test
    void variableThatIsNotAWholeSegment_isRefused() {
        assertThatThrownBy(() -> RouteTable.builder().open("GET", "/a/org-{x}", ONE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static LocalFunction function(String name) {
        return new LocalFunction(name, Duration.ofSeconds(1), 1,
                () -> (event, context) -> APIGatewayV2HTTPResponse.builder().withStatusCode(200).build());
    }
}
