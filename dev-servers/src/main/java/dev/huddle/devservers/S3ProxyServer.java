package dev.huddle.devservers;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * The S3 API from S3Proxy, in this JVM, on 127.0.0.1, with an in-memory (transient) blob store: every
 * start is an empty S3. It speaks the real S3 REST protocol over HTTP (multipart uploads, HEAD, ranged
 * GETs), so the SDK client under test is the production one with only an endpoint override and
 * path-style addressing. Requests are not authenticated; any credentials do.
 */
public final class S3ProxyServer implements AutoCloseable {
    private static final String STARTED = "STARTED";

    private final S3Proxy proxy;

    private S3ProxyServer(S3Proxy proxy) {
        this.proxy = proxy;
    }

    /** Starts S3Proxy ({@code port} 0 picks a free one) and waits until Jetty has started. */
    public static S3ProxyServer start(int port) {
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(new TransientNio2BlobStore())
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.NONE, null, null)
                .ignoreUnknownHeaders(true)
                .build();
        try {
            proxy.start();
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not start", e);
        }
        S3ProxyServer server = new S3ProxyServer(proxy);
        server.awaitStarted(Duration.ofSeconds(20));
        return server;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    public int port() {
        return proxy.getPort();
    }

    private void awaitStarted(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        // start() returns once Jetty is running in practice; the loop covers a slow connector start.
        while (!STARTED.equals(proxy.getState())) {
            if (Instant.now().isAfter(deadline)) {
                close();
                throw new IllegalStateException("S3Proxy did not start within " + timeout + " (state " + proxy.getState() + ")");
            }
            Thread.onSpinWait();
        }
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not stop", e);
        }
    }
}
