package dev.huddle.ratelimit;

import dev.huddle.devservers.DynaliteServer;
import java.net.URI;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** One dynalite per test JVM, started on first use; a fresh table per caller. */
public final class TestDynamo {

    private static DynaliteServer server;

    private TestDynamo() {
    }

    public static synchronized URI endpoint() {
        if (server == null) {
            server = DynaliteServer.start(0);
        }
        return server.endpoint();
    }

    /** A client of the shared dynalite that counts the UpdateItem calls it sends. */
    public static DynamoDbClient countingClient(UpdateItemCounter counter) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.addExecutionInterceptor(counter))
                .build();
    }

    /** Creates a table with the production schema and returns its name. */
    public static String newTable(DynamoDbClient client) {
        String name = "rate-limits-" + UUID.randomUUID();
        client.createTable(RateLimitTableSchema.createTableRequest(name));
        client.waiter().waitUntilTableExists(b -> b.tableName(name));
        return name;
    }

    /** Counts UpdateItem requests as the SDK starts executing them (retries are not counted twice). */
    public static final class UpdateItemCounter implements ExecutionInterceptor {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof UpdateItemRequest) {
                count.incrementAndGet();
            }
        }

        int count() {
            return count.get();
        }

        /** The calls counted since the last reset. */
        int reset() {
            return count.getAndSet(0);
        }
    }
}
