package dev.huddle.devservers;

import java.net.URI;
import java.time.Duration;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.elasticmq.rest.sqs.TheSQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The SQS API from ElasticMQ, in this JVM, in memory, on 127.0.0.1. It speaks the SDK's JSON protocol
 * and supports what the rollup queue needs: FIFO message groups and deduplication, visibility changes
 * and redrive to a dead-letter queue. Queue ARNs carry the region given here.
 */
public final class ElasticMqServer implements AutoCloseable {
    public static final String REGION = "us-east-1";

    private final SQSRestServer server;
    private final int port;

    private ElasticMqServer(SQSRestServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /** Starts ElasticMQ ({@code port} 0 picks a free one) and waits until it accepts connections. */
    public static ElasticMqServer start(int port) {
        TheSQSRestServerBuilder builder = SQSRestServerBuilder.withInterface("127.0.0.1").withAWSRegion(REGION);
        builder = port > 0 ? builder.withPort(port) : builder.withDynamicPort();
        SQSRestServer server = builder.start();
        int bound = server.waitUntilStarted().localAddress().getPort();
        return new ElasticMqServer(server, bound);
    }

    /** The endpoint override for the SDK client (also the prefix of the queue URLs). */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /**
     * A client for this server, for tests and tools (the functions build theirs from their configuration):
     * url-connection HTTP client, this server's region, placeholder credentials (ElasticMQ checks none), and
     * a read timeout beyond SQS's longest long poll (20 s).
     */
    public SqsClient client() {
        return SqsClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(30)))
                .endpointOverride(endpoint())
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
    }

    @Override
    public void close() {
        server.stopAndWait();
    }
}
