package dev.huddle.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Enables a test class only when a Docker daemon answers {@code GET /_ping}, before anything tries to
 * start a container (conditions run before any BeforeAll callback or static container start). Looks at
 * {@code DOCKER_HOST} (unix:// or tcp://), else {@code /var/run/docker.sock}. The disabled reason names
 * what was tried, and is printed to the build output so a skip is never silent.
 */
public final class DockerAvailableCondition implements ExecutionCondition {
    private static final int TIMEOUT_MILLIS = 1_000;
    private static volatile Optional<String> cachedProblem;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<String> problem = problem();
        if (problem.isEmpty()) {
            return ConditionEvaluationResult.enabled("Docker daemon answered");
        }
        String reason = "LocalStack tests skipped: " + problem.get();
        System.out.println("[localstack-tests] " + context.getDisplayName() + ": " + reason);
        return ConditionEvaluationResult.disabled(reason);
    }

    /** Why Docker cannot be used, or empty when its daemon answered; checked once per JVM. */
    static Optional<String> problem() {
        Optional<String> problem = cachedProblem;
        if (problem == null) {
            problem = probe(System.getenv("DOCKER_HOST"));
            cachedProblem = problem;
        }
        return problem;
    }

    static Optional<String> probe(String dockerHost) {
        String target = dockerHost == null || dockerHost.isBlank() ? "unix:///var/run/docker.sock" : dockerHost.trim();
        try {
            URI uri = URI.create(target);
            return switch (uri.getScheme()) {
                case "unix" -> pingUnix(Path.of(uri.getPath()), target);
                case "tcp" -> pingTcp(uri.getHost(), uri.getPort(), target);
                default -> Optional.of("unsupported DOCKER_HOST " + target);
            };
        } catch (IOException | IllegalArgumentException e) {
            return Optional.of("no Docker daemon answered at " + target + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static Optional<String> pingUnix(Path socket, String target) throws IOException {
        if (!Files.exists(socket)) {
            return Optional.of("no Docker daemon (" + socket + " does not exist; set DOCKER_HOST to use another)");
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap(pingRequest()));
            return answer(Channels.newInputStream(channel), target);
        }
    }

    private static Optional<String> pingTcp(String host, int port, String target) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(pingRequest());
            out.flush();
            return answer(socket.getInputStream(), target);
        }
    }

    private static byte[] pingRequest() {
        return "GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    }

    private static Optional<String> answer(InputStream in, String target) throws IOException {
        byte[] head = in.readNBytes(12); // "HTTP/1.x 200"
        String status = new String(head, StandardCharsets.US_ASCII);
        return status.endsWith(" 200") ? Optional.empty()
                : Optional.of("the Docker daemon at " + target + " answered the ping with \"" + status.trim() + "\"");
    }
}
