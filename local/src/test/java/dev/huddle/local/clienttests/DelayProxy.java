package dev.huddle.local.clienttests;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy in front of PostgreSQL that can hold every answer from the server for a while: the "slow
 * database" switch for the client tests (the stack's own latency switch is another helper's work). Each
 * chunk from the server waits {@link #delay} before it is passed on, so every round trip of a database
 * call gets slower while the switch is on; requests pass through unchanged.
 */
final class DelayProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int targetPort;
    private volatile Duration delay = Duration.ZERO;

    private DelayProxy(ServerSocket listener, int targetPort) {
        this.listener = listener;
        this.targetPort = targetPort;
    }

    static DelayProxy start(int targetPort) throws IOException {
        DelayProxy proxy = new DelayProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), targetPort);
        Thread acceptor = new Thread(proxy::acceptLoop, "delay-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return proxy;
    }

    int port() {
        return listener.getLocalPort();
    }

    void delayAnswers(Duration delay) {
        this.delay = delay;
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                pump(client, server, false);
                pump(server, client, true);
            } catch (IOException closedOrRefused) {
                // The listener was closed (end of the tests) or PostgreSQL refused: the client sees a reset.
            }
        }
    }

    private void pump(Socket from, Socket to, boolean delayed) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    Duration hold = delay;
                    if (delayed && !hold.isZero()) {
                        LockSupport.parkNanos(hold.toNanos());
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException connectionEnded) {
                // One side closed: close the other below.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "delay-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Already closed.
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
