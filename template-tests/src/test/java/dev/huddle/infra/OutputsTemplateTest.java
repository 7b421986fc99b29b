package dev.huddle.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class OutputsTemplateTest {
    private final Template template = Synth.template();

    @Test
    void stackOutputsTheApiUrlDashboardBucketAndCognitoIds() {
        for (String output : new String[] {"ApiUrl", "DashboardName", "DashboardUrl", "SnapshotBucketName",
                "AlarmTopicArn", "ReplayFunctionName", "SchemaVersion", "UserPoolId", "UserPoolClientId"}) {
            assertThat(template.findOutputs(output)).as(output).hasSize(1);
        }
        template.hasOutput("SchemaVersion", Map.of("Value", Map.of("Fn::GetAtt",
                java.util.List.of(Match.stringLikeRegexp("^SchemaMigrationsSchema.*"), "SchemaVersion"))));
    }
}
