package dev.huddle.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** localstack=true leaves out only what LocalStack lacks; the rest of the template stays. */
class LocalStackContextTest {
    private final Template aws = Synth.template();
    private final Template localstack = Synth.template(Map.of("localstack", "true"));

    @Test
    void noRdsProxyTheFunctionsConnectToTheInstance() {
        aws.resourceCountIs("AWS::RDS::DBProxy", 1);
        localstack.resourceCountIs("AWS::RDS::DBProxy", 0);
        String dbUrl = TemplateJson.environment(
                TemplateJson.functionWithHandler(localstack, "dev.huddle.ingest.IngestHandler").getValue()).get("DB_URL").toString();
        assertThat(dbUrl).contains("DatabaseInstance").contains("Endpoint.Address").doesNotContain("Proxy");
        assertThat(TemplateJson.environment(TemplateJson.functionWithHandler(localstack, "dev.huddle.ingest.IngestHandler")
                .getValue())).containsEntry("DB_SSL_MODE", "disable");
    }

    @Test
    void noSnapStartAndNoSecretRotation() {
        // One single-user rotation per secret: the admin's and each role's.
        aws.resourceCountIs("AWS::Serverless::Application", 1 + DatabaseRole.values().length);
        localstack.resourceCountIs("AWS::Serverless::Application", 0);
        localstack.resourceCountIs("AWS::SecretsManager::RotationSchedule", 0);
        localstack.allResourcesProperties("AWS::Lambda::Function", Map.of("SnapStart", Match.absent()));
    }

    @Test
    void everythingElseIsTheSameResourceSet() {
        for (String type : new String[] {"AWS::Lambda::Function", "AWS::Lambda::Alias", "AWS::SQS::Queue",
                "AWS::DynamoDB::Table", "AWS::S3::Bucket", "AWS::ApiGatewayV2::Route", "AWS::Events::Rule",
                "AWS::CloudWatch::Alarm", "AWS::RDS::DBInstance", "Custom::HuddleSchema", "AWS::Cognito::UserPool"}) {
            int count = aws.findResources(type).size();
            localstack.resourceCountIs(type, count);
        }
    }
}
