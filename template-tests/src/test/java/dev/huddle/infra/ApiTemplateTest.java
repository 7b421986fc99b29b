package dev.huddle.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class ApiTemplateTest {
    private final Template template = Synth.template();

    @Test
    void everyPostRouteAndTheAdminRouteRequireTheJwtAuthorizer() {
        for (String path : Api.INGEST_PATHS) {
            template.hasResourceProperties("AWS::ApiGatewayV2::Route", Map.of(
                    "RouteKey", "POST " + path, "AuthorizationType", "JWT", "AuthorizerId", Match.anyValue()));
        }
        template.hasResourceProperties("AWS::ApiGatewayV2::Route", Map.of(
                "RouteKey", "GET " + Api.ADMIN_ROLLUPS_PATH, "AuthorizationType", "JWT"));
        Map<String, Map<String, Object>> posts = template.findResources("AWS::ApiGatewayV2::Route",
                Map.of("Properties", Map.of("RouteKey", Match.stringLikeRegexp("^POST .*"))));
        assertThat(posts.values()).allSatisfy(route ->
                assertThat(TemplateJson.properties(route)).containsEntry("AuthorizationType", "JWT"));
    }

    @Test
    void healthIsTheOnlyRouteWithoutAuthorization() {
        template.resourceCountIs("AWS::ApiGatewayV2::Route", Api.INGEST_PATHS.size() + 2);
        Map<String, Map<String, Object>> open = template.findResources("AWS::ApiGatewayV2::Route",
                Map.of("Properties", Map.of("AuthorizationType", "NONE")));
        assertThat(open.values()).extracting(r -> TemplateJson.properties(r).get("RouteKey"))
                .containsExactly("GET " + Api.HEALTH_PATH);
    }

    @Test
    void withoutAnIssuerTheStackCreatesAUserPoolAndTrustsItsClient() {
        template.resourceCountIs("AWS::Cognito::UserPool", 1);
        template.hasResourceProperties("AWS::Cognito::UserPoolClient", Map.of("GenerateSecret", false));
        template.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", Map.of(
                "AuthorizerType", "JWT",
                "IdentitySource", List.of("$request.header.Authorization"),
                "JwtConfiguration", Map.of(
                        "Audience", List.of(Map.of("Ref", Match.stringLikeRegexp("^ApiUserPoolAppClient.*"))),
                        "Issuer", Map.of("Fn::Join", Match.anyValue()))));
    }

    @Test
    void anIssuerFromContextReplacesTheUserPool() {
        Template withIdp = Synth.template(Map.of("jwtIssuer", "https://idp.example.com/", "jwtAudience", "huddle-app,huddle-web"));
        withIdp.resourceCountIs("AWS::Cognito::UserPool", 0);
        withIdp.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", Map.of("JwtConfiguration", Map.of(
                "Issuer", "https://idp.example.com/", "Audience", List.of("huddle-app", "huddle-web"))));
        assertThat(withIdp.findOutputs("UserPoolId")).isEmpty();
    }

    @Test
    void theDefaultStageThrottlesBeforeTheFunctionsAndLogsAccess() {
        template.hasResourceProperties("AWS::ApiGatewayV2::Stage", Map.of(
                "StageName", "$default", "AutoDeploy", true,
                "DefaultRouteSettings", Map.of("ThrottlingRateLimit", 1000, "ThrottlingBurstLimit", 2000),
                "AccessLogSettings", Match.objectLike(Map.of("DestinationArn", Match.anyValue()))));
        Synth.template(Map.of("throttleRatePerSecond", "50", "throttleBurst", 100)).hasResourceProperties(
                "AWS::ApiGatewayV2::Stage", Map.of("DefaultRouteSettings", Map.of(
                        "ThrottlingRateLimit", 50, "ThrottlingBurstLimit", 100)));
    }

    @Test
    void theUnauthenticatedHealthRouteHasItsOwnThrottleFarBelowTheStage() {
        template.hasResourceProperties("AWS::ApiGatewayV2::Stage", Map.of(
                "RouteSettings", Map.of("GET /api/health", Map.of("ThrottlingRateLimit", 10, "ThrottlingBurstLimit", 20))));
        // The route must exist before the stage names it.
        Map<String, Map<String, Object>> routes = template.findResources("AWS::ApiGatewayV2::Route",
                Map.of("Properties", Map.of("RouteKey", "GET /api/health")));
        template.hasResource("AWS::ApiGatewayV2::Stage", Map.of("DependsOn", Match.arrayWith(List.copyOf(routes.keySet()))));
        Synth.template(Map.of("healthThrottleRatePerSecond", "2", "healthThrottleBurst", 4)).hasResourceProperties(
                "AWS::ApiGatewayV2::Stage", Map.of("RouteSettings", Map.of("GET /api/health",
                        Map.of("ThrottlingRateLimit", 2, "ThrottlingBurstLimit", 4))));
    }

    @Test
    void corsIsConfiguredOnlyWhenOriginsAreGiven() {
        template.hasResourceProperties("AWS::ApiGatewayV2::Api", Map.of("CorsConfiguration", Match.absent()));
        Synth.template(Map.of("corsAllowedOrigins", "https://app.example.com")).hasResourceProperties(
                "AWS::ApiGatewayV2::Api", Map.of("CorsConfiguration", Match.objectLike(Map.of(
                        "AllowOrigins", List.of("https://app.example.com"),
                        "AllowHeaders", Match.arrayWith(List.of("Authorization", "Content-Encoding",
                                "X-Client-Queue-Depth")),
                        // The browser client reads them (web-client/src/client.ts); unexposed, fetch hides them.
                        "ExposeHeaders", Match.arrayWith(List.of("Retry-After", "X-Client-Queue-Lag"))))));
    }
}
