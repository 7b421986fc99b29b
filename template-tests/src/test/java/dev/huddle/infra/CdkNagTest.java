package dev.huddle.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/** The AwsSolutions pack over the whole stack: every finding is fixed or suppressed with a reason. */
class CdkNagTest {
    private static Annotations annotations;

    @BeforeAll
    static void synthesizeWithNag() {
        App app = new App();
        HuddleStack stack = Synth.freshStack(app, Map.of());
        Aspects.of(stack).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
        annotations = Annotations.fromStack(stack);
    }

    @Test
    void awsSolutionsPackReportsNoUnsuppressedError() {
        List<SynthesisMessage> errors = annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*"));
        assertThat(errors).extracting(CdkNagTest::describe).isEmpty();
    }

    @Test
    void awsSolutionsPackReportsNoUnsuppressedWarning() {
        List<SynthesisMessage> warnings = annotations.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"));
        assertThat(warnings).extracting(CdkNagTest::describe).isEmpty();
    }

    private static String describe(SynthesisMessage message) {
        String text = String.valueOf(message.getEntry().getData());
        return message.getId() + ": " + text.substring(0, Math.min(text.length(), 140));
    }
}
