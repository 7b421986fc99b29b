package dev.huddle.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.huddle.ratelimit.RateLimitTableSchema;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class RateLimitTableTemplateTest {
    private final Template template = Synth.template();

    @Test
    void keyAndTtlNamesAreTheOnesTheFunctionsUse() {
        assertThat(Ingest.PARTITION_KEY).isEqualTo(RateLimitTableSchema.PARTITION_KEY);
        assertThat(Ingest.TTL_ATTRIBUTE).isEqualTo(RateLimitTableSchema.TTL_ATTRIBUTE);
    }

    @Test
    void tableIsOnDemandWithAStringPartitionKeyTtlAndPointInTimeRecovery() {
        template.resourceCountIs("AWS::DynamoDB::Table", 1);
        template.hasResourceProperties("AWS::DynamoDB::Table", Map.of(
                "BillingMode", "PAY_PER_REQUEST",
                "KeySchema", List.of(Map.of("AttributeName", "pk", "KeyType", "HASH")),
                "AttributeDefinitions", List.of(Map.of("AttributeName", "pk", "AttributeType", "S")),
                "TimeToLiveSpecification", Map.of("AttributeName", "expiresAt", "Enabled", true),
                "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true)));
    }

    @Test
    void ingestGetsTheTableNameAndTheQueueUrl() {
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", "dev.huddle.ingest.IngestHandler",
                "Environment", Map.of("Variables", Match.objectLike(Map.of(
                        "RATE_LIMIT_TABLE", Map.of("Ref", Match.stringLikeRegexp("^IngestRateLimitTable.*")),
                        "ROLLUP_QUEUE_URL", Map.of("Ref", Match.stringLikeRegexp("^RollupsJobQueue.*")))))));
    }
}
