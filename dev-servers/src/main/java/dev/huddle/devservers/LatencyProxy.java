package dev.huddle.devservers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on 127.0.0.1 in front of a server (PostgreSQL in the local stack and in the tests) that can
 * make it slow, unreachable or silent, to see what clients do when the database misbehaves, and that
 * watches the wire.
 *
 * <ul>
 *   <li>{@link #latency(Duration)}: every byte sent towards the server is delivered that much later, so a
 *       query round trip costs the latency once more. Bytes keep their order and are not throttled: a
 *       connection still carries any number of bytes per second, each just arrives late (like a long
 *       network path, not like a slow link).</li>
 *   <li>{@link #startOutage()}: cuts every open connection with a TCP reset and answers every new one with a
 *       reset until {@link #endOutage()}. From the client's side this is what a crashed or failed-over
 *       database looks like: established connections die mid-call, new ones fail at once.</li>
 *   <li>{@link #severAll()}: closes every open connection, both sides, and keeps accepting new ones: what a
 *       NAT or proxy idle timeout does to a frozen Lambda's socket.</li>
 *   <li>{@link #blackHole(boolean)}: bytes are read and dropped both ways, so peers see an open connection
 *       that never answers: a database that hangs mid-conversation.</li>
 *   <li>On the wire: {@link #connectionsMade()}, {@link #clientTurns()} (network round trips the clients
 *       started) and {@link #clientOpenings()} (each client's first bytes, e.g. PostgreSQL's startup
 *       packet).</li>
 * </ul>
 *
 * <p>Over 300 lines: the fault modes (latency, outage, sever, black hole) and the wire counters all act on the same
 * two copy loops and connection list; split apart, each part would need that shared state.
 */
public final class LatencyProxy implements AutoCloseable {
    private static final int BUFFER_BYTES = 16 * 1024;

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connectionsMade = new AtomicInteger();
    private final AtomicInteger clientTurns = new AtomicInteger();
    private final List<byte[]> openings = new CopyOnWriteArrayList<>();
    private volatile long latencyNanos;
    private volatile boolean outage;
    private volatile boolean blackHole;
    private volatile boolean closed;

    private LatencyProxy(ServerSocket listener, InetSocketAddress target, Duration latency) {
        this.listener = listener;
        this.target = target;
        latency(latency);
        Thread.ofPlatform().daemon().name("latency-proxy-accept-" + listener.getLocalPort()).start(this::acceptLoop);
    }

    /** Listens on a free port of 127.0.0.1 and forwards to {@code targetHost:targetPort}. */
    public static LatencyProxy start(String targetHost, int targetPort, Duration latency) {
        try {
            ServerSocket listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
            return new LatencyProxy(listener, new InetSocketAddress(targetHost, targetPort), latency);
        } catch (IOException e) {
            throw new UncheckedIOException("latency proxy cannot listen", e);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** The added one-way delay from now on (already queued bytes keep theirs). */
    public void latency(Duration latency) {
        Objects.requireNonNull(latency, "latency == null");
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative: " + latency);
        }
        latencyNanos = latency.toNanos();
    }

    public Duration latency() {
        return Duration.ofNanos(latencyNanos);
    }

    /** Resets every open connection and refuses new ones until {@link #endOutage()}. */
    public void startOutage() {
        outage = true;
        connections.forEach(Connection::reset);
    }

    public void endOutage() {
        outage = false;
    }

    public boolean inOutage() {
        return outage;
    }

    /** Connections open through the proxy now. */
    public int openConnections() {
        return connections.size();
    }

    /** Connections made through the proxy so far (accepted and connected to the server). */
    public int connectionsMade() {
        return connectionsMade.get();
    }

    /**
     * Network round trips started by clients so far: a turn starts when a client sends after the server
     * last spoke on its connection.
     */
    public int clientTurns() {
        return clientTurns.get();
    }

    /** The first bytes each client sent (a PostgreSQL client's startup packet), one entry per connection. */
    public List<byte[]> clientOpenings() {
        return List.copyOf(openings);
    }

    /** Closes every open connection, both sides; new connections are still accepted. */
    public void severAll() {
        connections.forEach(Connection::close);
    }

    /** While on, bytes are read and dropped both ways: peers see an open connection that never answers. */
    public void blackHole(boolean on) {
        blackHole = on;
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // Stopping anyway.
        }
        connections.forEach(Connection::reset);
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            if (outage) {
                resetQuietly(client);
                continue;
            }
            Thread.ofVirtual().name("latency-proxy-connect").start(() -> connect(client));
        }
    }

    private void connect(Socket client) {
        Socket server = new Socket();
        try {
            client.setTcpNoDelay(true);
            server.setTcpNoDelay(true);
            server.connect(target, 5_000);
        } catch (IOException e) {
            resetQuietly(client);
            closeQuietly(server);
            return;
        }
        connectionsMade.incrementAndGet();
        Connection connection = new Connection(client, server);
        connections.add(connection);
        if (outage) {
            // The outage began while this connection was being set up.
            connection.reset();
            return;
        }
        connection.start();
    }

    private static void resetQuietly(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (SocketException ignored) {
            // Closing below is all that is left to do.
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Best effort.
        }
    }

    /** Bytes on their way to the server, with the time they may be delivered. */
    private record Chunk(byte[] bytes, long dueNanos) {
        static final Chunk END = new Chunk(new byte[0], 0);
    }

    /** One proxied connection: a delayed upstream (reader + writer) and a direct downstream. */
    private final class Connection {
        private final Socket client;
        private final Socket server;
        private final BlockingQueue<Chunk> upstream = new LinkedBlockingQueue<>();
        /** Direction of the last bytes let through, to count turns: true = client to server. */
        private volatile boolean lastFromClient;

        Connection(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void start() {
            Thread.ofVirtual().name("latency-proxy-read").start(this::readFromClient);
            Thread.ofVirtual().name("latency-proxy-deliver").start(this::deliverToServer);
            Thread.ofVirtual().name("latency-proxy-answer").start(this::copyServerToClient);
        }

        private void readFromClient() {
            byte[] buffer = new byte[BUFFER_BYTES];
            try (InputStream in = client.getInputStream()) {
                int n;
                boolean opening = true;
                while ((n = in.read(buffer)) >= 0) {
                    if (opening && n > 0) {
                        openings.add(Arrays.copyOf(buffer, n));
                        opening = false;
                    }
                    if (blackHole || n == 0) {
                        continue;
                    }
                    if (!lastFromClient) {
                        clientTurns.incrementAndGet();
                        lastFromClient = true;
                    }
                    upstream.add(new Chunk(Arrays.copyOf(buffer, n), System.nanoTime() + latencyNanos));
                }
            } catch (IOException ignored) {
                // The connection is over either way.
            }
            upstream.add(Chunk.END);
        }

        private void deliverToServer() {
            try {
                OutputStream out = server.getOutputStream();
                while (true) {
                    Chunk chunk = upstream.take();
                    if (chunk == Chunk.END) {
                        break;
                    }
                    long wait;
                    while ((wait = chunk.dueNanos() - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    out.write(chunk.bytes());
                    out.flush();
                }
            } catch (IOException ignored) {
                // Server side gone.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            close();
        }

        private void copyServerToClient() {
            byte[] buffer = new byte[BUFFER_BYTES];
            try (InputStream in = server.getInputStream()) {
                OutputStream out = client.getOutputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (blackHole) {
                        continue;
                    }
                    lastFromClient = false;
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // One side closed.
            }
            close();
        }

        void reset() {
            resetQuietly(client);
            resetQuietly(server);
            upstream.add(Chunk.END);
            connections.remove(this);
        }

        void close() {
            closeQuietly(client);
            closeQuietly(server);
            connections.remove(this);
        }
    }
}
