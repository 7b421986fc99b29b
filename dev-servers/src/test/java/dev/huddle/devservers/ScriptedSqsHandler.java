package dev.huddle.devservers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test function that records every batch and answers by message body: "fail-once" is reported as a batch
 * item failure on its first delivery, "fail" on every delivery, "throw" makes the invocation throw;
 * anything else succeeds. Thread-safe, so one instance may serve several pollers.
 */
final class ScriptedSqsHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    final List<SQSEvent> batches = new CopyOnWriteArrayList<>();
    private final Set<String> failedOnce = ConcurrentHashMap.newKeySet();
    volatile Runnable beforeAnswering = () -> { };

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        batches.add(event);
        beforeAnswering.run();
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            switch (message.getBody()) {
                case "throw" -> throw new IllegalStateException("scripted failure");
                case "fail" -> failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                case "fail-once" -> {
                    if (failedOnce.add(message.getMessageId())) {
                        failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                    }
                }
                default -> { }
            }
        }
        return new SQSBatchResponse(failures);
    }

    List<SQSEvent.SQSMessage> deliveriesOf(String body) {
        return batches.stream().flatMap(batch -> batch.getRecords().stream())
                .filter(message -> message.getBody().equals(body)).toList();
    }

    int deliveries() {
        return batches.stream().mapToInt(batch -> batch.getRecords().size()).sum();
    }
}
