package dev.huddle.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import java.util.Arrays;
import java.util.List;
import software.constructs.IConstruct;

/**
 * Records an accepted cdk-nag (AwsSolutions) finding on one construct, with its reason. Callers sit next
 * to the resource they excuse and narrow IAM findings to the exact action or resource ({@code appliesTo}).
 */
final class NagExemptions {
    private NagExemptions() {
    }

    /** On this construct only (not its children). */
    static void suppress(IConstruct construct, String ruleId, String reason, Object... appliesTo) {
        NagSuppressions.addResourceSuppressions(construct, List.of(suppression(ruleId, reason, appliesTo)), false);
    }

    /** On this construct and its children: for findings on the L1 resources inside an L2 (its policy, its Resource). */
    static void suppressWithChildren(IConstruct construct, String ruleId, String reason, Object... appliesTo) {
        NagSuppressions.addResourceSuppressions(construct, List.of(suppression(ruleId, reason, appliesTo)), true);
    }

    /** An appliesTo entry that matches by regular expression (a resource ARN with a token in it). */
    static RegexAppliesTo regex(String pattern) {
        return RegexAppliesTo.builder().regex("/" + pattern + "/").build();
    }

    private static NagPackSuppression suppression(String ruleId, String reason, Object... appliesTo) {
        NagPackSuppression.Builder builder = NagPackSuppression.builder().id(ruleId).reason(reason);
        if (appliesTo.length > 0) {
            builder.appliesTo(Arrays.asList(appliesTo));
        }
        return builder.build();
    }
}
