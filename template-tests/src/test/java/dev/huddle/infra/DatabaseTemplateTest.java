package dev.huddle.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class DatabaseTemplateTest {
    private final Template template = Synth.template();

    @Test
    void postgres17InstanceIsPrivateEncryptedAndBackedUp() {
        template.hasResourceProperties("AWS::RDS::DBInstance", Map.of(
                "Engine", "postgres",
                "EngineVersion", Match.stringLikeRegexp("^17\\..*"),
                "DBInstanceClass", "db.t4g.small",
                "StorageEncrypted", true,
                "BackupRetentionPeriod", 7,
                "PubliclyAccessible", false,
                "DeletionProtection", true,
                "DBName", "huddle"));
        template.hasResource("AWS::RDS::DBInstance", Map.of("DeletionPolicy", "Snapshot", "UpdateReplacePolicy", "Snapshot"));
    }

    @Test
    void instanceClassDeletionProtectionAndRemovalComeFromContext() {
        Template trial = Synth.template(Map.of("dbInstanceClass", "t4g.micro", "deletionProtection", "false",
                "removalPolicy", "destroy", "dbMultiAz", "true"));
        trial.hasResourceProperties("AWS::RDS::DBInstance", Map.of(
                "DBInstanceClass", "db.t4g.micro", "DeletionProtection", false, "MultiAZ", true));
        trial.hasResource("AWS::RDS::DBInstance", Map.of("DeletionPolicy", "Delete"));
    }

    @Test
    void credentialsAreAGeneratedSecretThatRotates() {
        template.hasResourceProperties("AWS::SecretsManager::Secret", Map.of(
                "GenerateSecretString", Match.objectLike(Map.of("GenerateStringKey", "password"))));
        template.hasResourceProperties("AWS::SecretsManager::RotationSchedule", Map.of(
                "RotationRules", Map.of("ScheduleExpression", "rate(30 days)")));
    }

    @Test
    void lambdaConnectionsArePooledByAnRdsProxyThatRequiresTls() {
        template.hasResourceProperties("AWS::RDS::DBProxy", Map.of(
                "EngineFamily", "POSTGRESQL", "RequireTLS", true));
    }

    @Test
    void only5432FromTheFunctionsReachesTheProxyAndOnlyTheProxyReachesTheInstance() {
        String functionsGroup = logicalId("AWS::EC2::SecurityGroup", "Lambda functions of huddle-ingest (database clients)");
        String proxyGroup = logicalId("AWS::EC2::SecurityGroup", "RDS Proxy: 5432 from the functions only");
        String instanceGroup = logicalId("AWS::EC2::SecurityGroup", "PostgreSQL: 5432 from the RDS Proxy and the secret rotation only");
        template.hasResourceProperties("AWS::EC2::SecurityGroupIngress", Map.of(
                "GroupId", Map.of("Fn::GetAtt", List.of(proxyGroup, "GroupId")),
                "SourceSecurityGroupId", Map.of("Fn::GetAtt", List.of(functionsGroup, "GroupId")),
                "FromPort", 5432, "ToPort", 5432, "IpProtocol", "tcp"));
        // Into the instance: the instance's own port (5432), from the proxy and the rotation function only.
        Map<String, Map<String, Object>> intoInstance = template.findResources("AWS::EC2::SecurityGroupIngress",
                Map.of("Properties", Map.of("GroupId", Map.of("Fn::GetAtt", List.of(instanceGroup, "GroupId")))));
        assertThat(intoInstance.values()).extracting(rule -> TemplateJson.properties(rule).get("SourceSecurityGroupId").toString())
                .anySatisfy(source -> assertThat(source).contains(proxyGroup))
                .allSatisfy(source -> assertThat(source).containsAnyOf(proxyGroup, "DatabaseRotationSecurityGroup"));
        assertThat(intoInstance.values()).allSatisfy(rule -> assertThat(TemplateJson.properties(rule))
                .doesNotContainKey("CidrIp")
                .containsEntry("FromPort", Map.of("Fn::GetAtt", List.of(instanceLogicalId(), "Endpoint.Port"))));
        template.hasResourceProperties("AWS::RDS::DBInstance", Map.of("Port", "5432"));
    }

    @Test
    void migrationsRunAsACustomResourceKeyedByTheHashOfTheMigrationFiles() {
        template.hasResourceProperties("Custom::HuddleSchema", Map.of("MigrationsHash", Synth.MIGRATIONS_HASH));
        template.hasResourceProperties("AWS::Lambda::Function", Map.of("Handler", SchemaMigrations.HANDLER, "Timeout", 300));
        template.hasResource("Custom::HuddleSchema", Map.of("DependsOn", Match.arrayWith(List.of(
                Match.stringLikeRegexp("^DatabaseInstance[A-F0-9]+$")))));
    }

    private String instanceLogicalId() {
        return template.findResources("AWS::RDS::DBInstance").keySet().iterator().next();
    }

    private String logicalId(String type, String description) {
        Map<String, Map<String, Object>> found = template.findResources(type,
                Map.of("Properties", Map.of("GroupDescription", description)));
        assertThat(found).hasSize(1);
        return found.keySet().iterator().next();
    }
}
