package dev.huddle.infra;

import java.util.List;
import software.amazon.awscdk.IAspect;
import software.amazon.awscdk.services.lambda.Function;
import software.constructs.IConstruct;

/**
 * On LocalStack ({@code -c localstack=true}) every function of the stack calls AWS APIs at LocalStack's
 * endpoint: the variables dev.huddle.common.AwsConfig reads (with S3_ENDPOINT set the functions' S3 client
 * uses path-style addressing), and AWS_ENDPOINT_URL, which every AWS SDK reads itself, for the CDK Provider
 * framework's Node.js function that no code of ours configures. An aspect, so a function added later (or
 * inside a library construct) is covered too.
 */
final class LocalStackEndpoints implements IAspect {
    /** LocalStack as seen from a Lambda container it runs (the name resolves to LocalStack there). */
    static final String ENDPOINT = "http://localhost.localstack.cloud:4566";
    static final List<String> VARIABLES = List.of("AWS_ENDPOINT_URL", "DYNAMODB_ENDPOINT", "SQS_ENDPOINT",
            "S3_ENDPOINT", "SECRETS_MANAGER_ENDPOINT");

    @Override
    public void visit(IConstruct node) {
        if (node instanceof Function function) {
            VARIABLES.forEach(name -> function.addEnvironment(name, ENDPOINT));
        }
    }
}
