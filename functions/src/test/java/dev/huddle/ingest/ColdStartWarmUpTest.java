package dev.huddle.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import dev.huddle.common.Json;
import dev.huddle.common.http.ApiGatewayAdapter;
import dev.huddle.common.observability.LatencyEwma;
import dev.huddle.ratelimit.RateLimitTableSchema;
import dev.huddle.ratelimit.TestDynamo;
import dev.huddle.rollup.TestSqs;
import dev.huddle.sql.DatabaseRole;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The cold start's warm-up against real servers: dynalite, ElasticMQ and PostgreSQL (through PgBouncer in the
 * pooled run).
 */
class ColdStartWarmUpTest {
    private static IngestDatabase db;
    private static DynamoDbClient dynamoDb;
    private static SqsClient sqs;
    /** A table and a queue of each test's own. */
    private final String table = TestDynamo.newTable(dynamoDb);
    private final TestSqs.Queues jobQueue = TestSqs.createJobQueues(sqs);

    @BeforeAll
    static void servers() {
        db = IngestDatabase.create();
        dynamoDb = TestDynamo.countingClient(new TestDynamo.UpdateItemCounter());
        sqs = TestSqs.client();
    }

    @Test
    void warmsDynamoDbAndTheDatabaseBeforeTheFirstRequest_whichThenIsAnsweredByTheSameCollaborators()
            throws Exception {
        IngestConfig config = config();
        List<String> lines = new ArrayList<>();

        ColdStartWarmUp.Collaborators parts = ColdStartWarmUp.buildWarm(config, new IngestPriming(config), lines::add);

        assertThat(lines).hasSize(1);
        JsonNode line = Json.mapper().readTree(lines.get(0));
        assertThat(line.get("postgres").asText()).isEqualTo("ok");
        assertThat(line.get("dynamoDb").asText()).isEqualTo("called");
        assertThat(line.get("sqs").asText()).isEqualTo("ok");
        assertThat(TestSqs.messagesHeld(sqs, jobQueue.mainUrl())).as("the warm-up queues nothing").isZero();
        assertThat(line.get("coldStartWarmUpMs").asLong()).isPositive();
        assertThat(warmUpBuckets()).as("the warm-up's own bucket").hasSize(1);
        assertThat(bucketOf(TestRequests.USER)).isEmpty();

        IngestService service = new IngestService(config, parts.rateLimiter(), parts.store(), parts.rollupJobs(),
                ProgressEventValidatorTest.CLOCK, new LatencyEwma(), ignored -> { });
        long rowsBefore = db.rowCounts().get("huddle.progress_events");
        APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent("events/apigw_v2_progress_batch_valid.json");
        JsonNode answer = Json.mapper().readTree(
                ApiGatewayAdapter.toResponse(service.handle(ApiGatewayAdapter.toRequest(event))).getBody());

        assertThat(answer.get("accepted")).hasSize(3);
        assertThat(bucketOf(TestRequests.USER)).as("the learner's bucket, in the same table").isNotEmpty();
        assertThat(db.rowCounts()).containsEntry("huddle.progress_events", rowsBefore + 3);
        assertThat(TestSqs.messagesHeld(sqs, jobQueue.mainUrl())).as("the request's rollup job").isEqualTo(1);
    }

    @Test
    void afterASnapStartRestore_makesTheSameThreeCallsAgain() throws Exception {
        // Built as before a snapshot: nothing called, no connection open.
        ColdStartWarmUp.Collaborators parts = ColdStartWarmUp.build(config());
        List<String> lines = new ArrayList<>();

        ColdStartWarmUp.warmRestored(parts, lines::add);

        JsonNode line = Json.mapper().readTree(lines.get(0));
        assertThat(line.get("phase").asText()).isEqualTo("restore");
        assertThat(line.get("postgres").asText()).isEqualTo("ok");
        assertThat(line.get("sqs").asText()).isEqualTo("ok");
        assertThat(line.get("dynamoDb").asText()).isEqualTo("called");
        assertThat(warmUpBuckets()).hasSize(1);
        assertThat(TestSqs.messagesHeld(sqs, jobQueue.mainUrl())).isZero();
    }

    private IngestConfig config() {
        Map<String, String> env = new HashMap<>(db.environment(DatabaseRole.INGEST));
        env.put("DYNAMODB_ENDPOINT", TestDynamo.endpoint().toString());
        env.put("RATE_LIMIT_TABLE", table);
        env.put("SQS_ENDPOINT", TestSqs.server().endpoint().toString());
        env.put("ROLLUP_QUEUE_URL", jobQueue.mainUrl());
        return IngestConfig.from(env);
    }

    /** The items of the warm-up's keys (a random part per container, so found by their start). */
    private List<Map<String, AttributeValue>> warmUpBuckets() {
        String start = RateLimitTableSchema.partitionKeyOf(ColdStartWarmUp.RATE_LIMIT_KEY_PREFIX);
        return dynamoDb.scan(b -> b.tableName(table).consistentRead(true)).items().stream()
                .filter(item -> item.get(RateLimitTableSchema.PARTITION_KEY).s().startsWith(start))
                .toList();
    }

    private Map<String, AttributeValue> bucketOf(String key) {
        return dynamoDb.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of(RateLimitTableSchema.PARTITION_KEY, AttributeValue.fromS(RateLimitTableSchema.partitionKeyOf(key))))).item();
    }
}
