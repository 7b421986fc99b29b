package dev.huddle.devservers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The DynamoDB API from dynalite (npm, pinned in the root package.json), run in memory as a child
 * process of this JVM. It has no TTL and no transactions; the rate limiter needs neither.
 */
public final class DynaliteServer implements AutoCloseable {
    /** Overrides where dynalite's cli.js is looked for. */
    public static final String CLI_ENV = "HUDDLE_DYNALITE_CLI";

    private final Process process;
    private final int port;

    private DynaliteServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts dynalite on 127.0.0.1 ({@code port} 0 picks a free one) and waits until it listens. */
    public static DynaliteServer start(int port) {
        Path cli = findCli().orElseThrow(() -> new IllegalStateException(
                "dynalite not found: run `npm ci` in the repository root (it pins dynalite), or set " + CLI_ENV));
        int chosen = port > 0 ? port : LocalPorts.free();
        ProcessBuilder builder = new ProcessBuilder(List.of("node", "-e", survivingAbortedRequests(cli), "--",
                "--host", "127.0.0.1", "--port", Integer.toString(chosen),
                "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                // Its stderr is ours: a crash must show, not leave every later call "connection refused".
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        try {
            Process process = builder.start();
            DynaliteServer server = new DynaliteServer(process, chosen);
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "dynalite-stop"));
            LocalPorts.awaitListening(process, server.port, Duration.ofSeconds(20), "dynalite");
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start node for dynalite (is Node.js installed?)", e);
        }
    }

    /**
     * A script that runs dynalite's cli.js as {@code node cli.js <args>} would, except that a client which
     * drops its connection mid-request no longer kills the server. dynalite 4.0.0 rethrows a request's
     * {@code ECONNRESET} ("aborted") from its error listener (index.js, {@code httpHandler}), an uncaught
     * exception that ends the process: one SDK call that hit its timeout under load took the local DynamoDB
     * down for good, and the rate limiter fell back to memory for the rest of the run (found by issue 12's
     * load test). Any other uncaught error still ends the process, on stderr.
     */
    static String survivingAbortedRequests(Path cli) {
        String path = cli.toAbsolutePath().toString().replace("\\", "\\\\").replace("'", "\\'");
        return "process.on('uncaughtException', e => {"
                + " if (e && e.code === 'ECONNRESET') return;"
                + " console.error(e); process.exit(1); });"
                // node -e leaves no script in argv[1]; cli.js reads its options from argv[2] on.
                + " process.argv.splice(1, 0, '" + path + "');"
                + " require('" + path + "');";
    }

    /** Looks for node_modules/dynalite/cli.js in the working directory and its parents. */
    public static Optional<Path> findCli() {
        String override = System.getenv(CLI_ENV);
        if (override != null && !override.isBlank()) {
            return Optional.of(Path.of(override));
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path cli = dir.resolve("node_modules/dynalite/cli.js");
            if (Files.isRegularFile(cli)) {
                return Optional.of(cli);
            }
        }
        return Optional.empty();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        process.destroy();
    }
}
