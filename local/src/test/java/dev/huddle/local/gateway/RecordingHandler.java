package dev.huddle.local.gateway;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;

/** A test function that records every event (and what its context said) and answers as told. */
final class RecordingHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    record Invocation(APIGatewayV2HTTPEvent event, String awsRequestId, String functionName, int remainingMillis) {
    }

    final LinkedBlockingQueue<Invocation> invocations = new LinkedBlockingQueue<>();
    volatile Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> answer =
            event -> APIGatewayV2HTTPResponse.builder().withStatusCode(200).withBody("ok").build();

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        invocations.add(new Invocation(event, context.getAwsRequestId(), context.getFunctionName(),
                context.getRemainingTimeInMillis()));
        return answer.apply(event);
    }

    /**
     * The oldest recorded invocation, read once without waiting: the gateway answers only after the handler
     * returned, so by the time a test holds the response the invocation is recorded. Fails when there is none.
     */
    Invocation next() {
        Invocation invocation = invocations.poll();
        if (invocation == null) {
            throw new AssertionError("no invocation recorded");
        }
        return invocation;
    }
}
