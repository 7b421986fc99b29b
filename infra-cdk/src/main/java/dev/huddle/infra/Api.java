package dev.huddle.infra;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpJwtAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.CfnStage;
import software.amazon.awscdk.services.apigatewayv2.CorsHttpMethod;
import software.amazon.awscdk.services.apigatewayv2.CorsPreflightOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.apigatewayv2.HttpStageOptions;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogSettings;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogDestination;
import software.amazon.awscdk.services.apigatewayv2.LogGroupLogDestination;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.services.cognito.AccountRecovery;
import software.amazon.awscdk.services.cognito.AuthFlow;
import software.amazon.awscdk.services.cognito.PasswordPolicy;
import software.amazon.awscdk.services.cognito.UserPool;
import software.amazon.awscdk.services.cognito.UserPoolClient;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * The HTTP API of the contract. A JWT authorizer guards every POST route and the admin route (the
 * handlers take the user id from the token's "sub" only); /api/health stays open for load balancers and
 * uptime checks. The default stage's throttling is the first line of defence, account-wide and cheap,
 * before the per-user DynamoDB limit in the ingest function. Access logs go to CloudWatch Logs.
 */
public final class Api extends Construct {
    /** The ingest routes of the contract, all served by dev.huddle.ingest.IngestHandler. */
    public static final List<String> INGEST_PATHS = List.of(
            "/api/client/progress/batch", "/api/client/progress/lesson",
            "/api/analytics/events/batch", "/api/analytics/events");
    public static final String HEALTH_PATH = "/api/health";
    static final String HEALTH_ROUTE_KEY = "GET " + HEALTH_PATH;
    public static final String ADMIN_ROLLUPS_PATH = "/api/admin/orgs/{orgId}/rollups";

    private final HttpApi httpApi;
    private final HttpStage stage;
    private final UserPool userPool;
    private final UserPoolClient userPoolClient;

    public record Handlers(IFunction ingest, IFunction health, IFunction adminRollups) {
    }

    public Api(Construct scope, String id, HuddleSettings settings, Handlers handlers, RetentionDays logRetention) {
        super(scope, id);
        String issuer;
        List<String> audience;
        if (settings.createsUserPool()) {
            userPool = UserPool.Builder.create(this, "UserPool")
                    .selfSignUpEnabled(false)
                    .signInAliases(software.amazon.awscdk.services.cognito.SignInAliases.builder().email(true).build())
                    .passwordPolicy(PasswordPolicy.builder()
                            .minLength(12).requireDigits(true).requireLowercase(true)
                            .requireUppercase(true).requireSymbols(true).build())
                    .accountRecovery(AccountRecovery.EMAIL_ONLY)
                    .removalPolicy(RemovalPolicy.RETAIN)
                    .build();
            userPoolClient = userPool.addClient("AppClient", software.amazon.awscdk.services.cognito.UserPoolClientOptions.builder()
                    .authFlows(AuthFlow.builder().userSrp(true).userPassword(true).build())
                    .generateSecret(false)
                    .accessTokenValidity(Duration.hours(1))
                    .idTokenValidity(Duration.hours(1))
                    .build());
            NagExemptions.suppress(userPool, "AwsSolutions-COG2",
                    "Learner devices sign in unattended (background sync); MFA is the identity provider's policy "
                            + "when a real IdP is configured with -c jwtIssuer");
            NagExemptions.suppress(userPool, "AwsSolutions-COG3",
                    "Cognito threat protection is a paid feature plan; the built-in pool is for trials and tests, "
                            + "production deployments point jwtIssuer at their IdP");
            issuer = "https://cognito-idp." + Stack.of(this).getRegion() + ".amazonaws.com/" + userPool.getUserPoolId();
            audience = List.of(userPoolClient.getUserPoolClientId());
        } else {
            userPool = null;
            userPoolClient = null;
            issuer = settings.jwtIssuer().orElseThrow();
            audience = settings.jwtAudience();
        }
        HttpJwtAuthorizer authorizer = HttpJwtAuthorizer.Builder.create("JwtAuthorizer", issuer)
                .jwtAudience(audience)
                .identitySource(List.of("$request.header.Authorization"))
                .build();

        HttpApi.Builder api = HttpApi.Builder.create(this, "HttpApi")
                .apiName(Stack.of(this).getStackName() + "-api")
                .description("huddle-ingest: learner progress and analytics ingestion")
                .createDefaultStage(false);
        if (!settings.corsAllowedOrigins().isEmpty()) {
            api.corsPreflight(CorsPreflightOptions.builder()
                    .allowOrigins(settings.corsAllowedOrigins())
                    .allowMethods(List.of(CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.OPTIONS))
                    .allowHeaders(List.of("Authorization", "Content-Type", "Content-Encoding", "X-Client-Queue-Depth"))
                    .exposeHeaders(List.of("Retry-After", "X-Client-Queue-Lag"))
                    .maxAge(Duration.hours(1))
                    .build());
        }
        httpApi = api.build();

        LogGroup accessLogs = LogGroup.Builder.create(this, "AccessLogs")
                .retention(logRetention)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        IAccessLogDestination destination = new LogGroupLogDestination(accessLogs);
        stage = httpApi.addStage("DefaultStage", HttpStageOptions.builder()
                .stageName("$default")
                .autoDeploy(true)
                .throttle(ThrottleSettings.builder()
                        .rateLimit(settings.throttleRatePerSecond())
                        .burstLimit(settings.throttleBurst())
                        .build())
                .accessLogSettings(new IAccessLogSettings() {
                    @Override
                    public IAccessLogDestination getDestination() {
                        return destination;
                    }

                    @Override
                    public AccessLogFormat getFormat() {
                        return AccessLogFormat.jsonWithStandardFields();
                    }
                })
                .build());

        HttpLambdaIntegration ingest = new HttpLambdaIntegration("Ingest", handlers.ingest());
        for (String path : INGEST_PATHS) {
            httpApi.addRoutes(AddRoutesOptions.builder()
                    .path(path).methods(List.of(HttpMethod.POST)).integration(ingest).authorizer(authorizer).build());
        }
        httpApi.addRoutes(AddRoutesOptions.builder()
                .path(ADMIN_ROLLUPS_PATH).methods(List.of(HttpMethod.GET))
                .integration(new HttpLambdaIntegration("AdminRollups", handlers.adminRollups()))
                .authorizer(authorizer)
                .build());
        List<software.amazon.awscdk.services.apigatewayv2.HttpRoute> healthRoutes = httpApi.addRoutes(AddRoutesOptions.builder()
                .path(HEALTH_PATH).methods(List.of(HttpMethod.GET))
                .integration(new HttpLambdaIntegration("Health", handlers.health()))
                .build());
        healthRoutes.forEach(route -> NagExemptions.suppressWithChildren(route, "AwsSolutions-APIG4",
                "The health check is public by contract (uptime probes carry no token) and returns no learner data"));
        // The health route is unauthenticated: its own throttle, far below the stage's, caps what anonymous
        // traffic can cost the health function and its database probe (issue 9). Route settings name a route
        // that must exist when the stage is updated, hence the dependency.
        CfnStage cfnStage = (CfnStage) stage.getNode().getDefaultChild();
        // RouteSettings is untyped JSON in CloudFormation: the keys are written as CloudFormation spells them.
        cfnStage.setRouteSettings(Map.of(HEALTH_ROUTE_KEY, Map.of(
                "ThrottlingRateLimit", settings.healthThrottleRatePerSecond(),
                "ThrottlingBurstLimit", settings.healthThrottleBurst())));
        healthRoutes.forEach(route -> stage.getNode().addDependency(route));
    }

    public HttpApi httpApi() {
        return httpApi;
    }

    public String url() {
        return stage.getUrl();
    }

    public Optional<UserPool> userPool() {
        return Optional.ofNullable(userPool);
    }

    public Optional<UserPoolClient> userPoolClient() {
        return Optional.ofNullable(userPoolClient);
    }
}
