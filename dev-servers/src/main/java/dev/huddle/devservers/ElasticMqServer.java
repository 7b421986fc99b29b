package dev.huddle.devservers;

import java.net.URI;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.elasticmq.rest.sqs.TheSQSRestServerBuilder;

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

    @Override
    public void close() {
        server.stopAndWait();
    }
}
