package dev.huddle.devservers;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Builds the {@link SQSEvent} Lambda passes to a function from the messages its poller received, field by
 * field as documented in https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html: {@code messageId},
 * {@code receiptHandle}, {@code body}, {@code attributes} (ApproximateReceiveCount, SentTimestamp,
 * SenderId, ApproximateFirstReceiveTimestamp, and for FIFO queues MessageGroupId, MessageDeduplicationId,
 * SequenceNumber), {@code messageAttributes}, {@code md5OfBody}, {@code eventSource} "aws:sqs",
 * {@code eventSourceARN}, {@code awsRegion}.
 */
final class SqsEvents {
    private SqsEvents() {
    }

    static SQSEvent of(List<Message> messages, String queueArn, String region) {
        SQSEvent event = new SQSEvent();
        event.setRecords(messages.stream().map(message -> record(message, queueArn, region)).toList());
        return event;
    }

    private static SQSEvent.SQSMessage record(Message message, String queueArn, String region) {
        SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
        record.setMessageId(message.messageId());
        record.setReceiptHandle(message.receiptHandle());
        record.setBody(message.body());
        record.setMd5OfBody(message.md5OfBody());
        record.setMd5OfMessageAttributes(message.md5OfMessageAttributes());
        record.setAttributes(Map.copyOf(message.attributesAsStrings()));
        record.setMessageAttributes(messageAttributes(message.messageAttributes()));
        record.setEventSource("aws:sqs");
        record.setEventSourceArn(queueArn);
        record.setAwsRegion(region);
        return record;
    }

    private static Map<String, SQSEvent.MessageAttribute> messageAttributes(Map<String, MessageAttributeValue> values) {
        Map<String, SQSEvent.MessageAttribute> attributes = new LinkedHashMap<>();
        values.forEach((name, value) -> {
            SQSEvent.MessageAttribute attribute = new SQSEvent.MessageAttribute();
            attribute.setDataType(value.dataType());
            attribute.setStringValue(value.stringValue());
            attribute.setBinaryValue(value.binaryValue() == null ? null : value.binaryValue().asByteBuffer());
            attribute.setStringListValues(value.stringListValues());
            attribute.setBinaryListValues(value.binaryListValues().stream().map(b -> b.asByteBuffer()).toList());
            attributes.put(name, attribute);
        });
        return attributes;
    }
}
