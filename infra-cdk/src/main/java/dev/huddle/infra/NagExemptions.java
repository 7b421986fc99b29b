package dev.huddle.infra;

/**
 * The cdk-nag (AwsSolutions) findings this stack accepts, each with the reason, as narrow as cdk-nag
 * allows (the resource path and, for IAM findings, the exact action or resource in {@code appliesTo}).
 */
final class NagExemptions {
    private NagExemptions() {
    }

    static void apply(HuddleStack stack) {
    }
}
