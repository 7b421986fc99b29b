package dev.huddle.common.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of a real PostgreSQL for fault and wire-level tests: it counts client "turns"
 * (the client starts sending after the server spoke: one per network round trip), can cut every open
 * connection at once (what a NAT or proxy idle timeout does to a frozen Lambda's socket) and can stop
 * forwarding while keeping sockets open (a database that hangs mid-conversation).
 */
public final class TcpProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress upstream;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger clientTurns = new AtomicInteger();
    private final List<byte[]> openings = new CopyOnWriteArrayList<>();
    private volatile boolean blackHole;
    /** Direction of the last forwarded bytes, to count turns: true = client to server. */
    private volatile boolean lastFromClient;

    public TcpProxy(String upstreamHost, int upstreamPort) throws IOException {
        this.upstream = new InetSocketAddress(upstreamHost, upstreamPort);
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "tcp-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    /** Network round trips started by clients so far. */
    public int clientTurns() {
        return clientTurns.get();
    }

    /** The first bytes each client sent (a PostgreSQL client's startup packet), one entry per connection. */
    public List<byte[]> clientOpenings() {
        return List.copyOf(openings);
    }

    /** Closes every open connection, both sides; new connections are still accepted. */
    public void severAll() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        sockets.clear();
    }

    /** While on, bytes are read and dropped: peers see an open connection that never answers. */
    public void blackHole(boolean on) {
        blackHole = on;
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                server.connect(upstream, 2_000);
                sockets.add(client);
                sockets.add(server);
                connections.incrementAndGet();
                pump(client, server, true);
                pump(server, client, false);
            } catch (IOException e) {
                // Listener closed, or upstream unreachable for this one connection.
            }
        }
    }

    private void pump(Socket from, Socket to, boolean fromClient) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                boolean opening = fromClient;
                while ((n = in.read(buffer)) > 0) {
                    if (opening) {
                        openings.add(java.util.Arrays.copyOf(buffer, n));
                        opening = false;
                    }
                    if (blackHole) {
                        continue;
                    }
                    if (fromClient && !lastFromClient) {
                        clientTurns.incrementAndGet();
                    }
                    lastFromClient = fromClient;
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // One side went away; closing both ends below ends the other pump too.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // Best effort.
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        severAll();
    }
}
