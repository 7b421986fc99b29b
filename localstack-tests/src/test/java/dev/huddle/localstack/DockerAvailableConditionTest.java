package dev.huddle.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The skip decision itself runs everywhere, Docker or not. */
class DockerAvailableConditionTest {

    @Test
    void givesAReason_whenTheSocketFileIsMissing() {
        assertThat(DockerAvailableCondition.probe("unix:///nonexistent/docker.sock"))
                .hasValueSatisfying(reason -> assertThat(reason).contains("/nonexistent/docker.sock does not exist"));
    }

    @Test
    void givesAReason_whenNothingListensOnTheTcpPort() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        assertThat(DockerAvailableCondition.probe("tcp://127.0.0.1:" + closedPort))
                .hasValueSatisfying(reason -> assertThat(reason).contains("no Docker daemon answered"));
    }

    @Test
    void enables_whenTheDaemonAnswersThePing() throws Exception {
        try (ServerSocket daemon = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread fake = Thread.ofVirtual().start(() -> {
                try (Socket client = daemon.accept()) {
                    client.getOutputStream().write("HTTP/1.1 200 OK\r\n\r\nOK".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException ignored) {
                    // the assertion below fails instead
                }
            });
            assertThat(DockerAvailableCondition.probe("tcp://127.0.0.1:" + daemon.getLocalPort())).isEmpty();
            fake.join();
        }
    }
}
