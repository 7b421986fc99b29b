package dev.huddle.ratelimit;

import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The rate-limit table: one item per user, keyed by {@value #PARTITION_KEY}. CDK owns the table on AWS
 * (with TTL on {@value #TTL_ATTRIBUTE}); tests and the local stack create it from
 * {@link #createTableRequest(String)}. dynalite has no TTL, which only means old items stay: an item
 * whose time has passed means the same as no item.
 */
public final class RateLimitTableSchema {

    public static final String PARTITION_KEY = "pk";
    /** The theoretical arrival time of the user's bucket, epoch milliseconds (see {@link Gcra}). */
    public static final String TAT_ATTRIBUTE = "tat";
    /** Epoch seconds after which DynamoDB TTL may delete the item (the bucket is full by then). */
    public static final String TTL_ATTRIBUTE = "expiresAt";

    private RateLimitTableSchema() {
    }

    /** On-demand capacity: traffic follows the learners' day, and the item count is small. */
    public static CreateTableRequest createTableRequest(String tableName) {
        return CreateTableRequest.builder()
                .tableName(tableName)
                .attributeDefinitions(AttributeDefinition.builder()
                        .attributeName(PARTITION_KEY).attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder()
                        .attributeName(PARTITION_KEY).keyType(KeyType.HASH).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .build();
    }

    /** The item of {@code userId}'s bucket. */
    public static String partitionKeyOf(String userId) {
        return "user#" + userId;
    }
}
