package dev.huddle.devservers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * PgBouncer (Debian package {@code pgbouncer}) in front of a PostgreSQL server, configured as strictly as
 * RDS Proxy and stricter: {@code pool_mode = transaction}, so no session state survives a transaction
 * (a session SET, a session advisory lock or a prepared statement would be lost or land on another server
 * connection), and any startup parameter other than the ones pgjdbc always sends is refused
 * ({@code FATAL: unsupported startup parameter: options}), as RDS Proxy refuses command-line options.
 * Clients log in with SCRAM against the users and passwords given; PgBouncer then logs in to the server
 * as the same user.
 *
 * <p>Runs in the foreground as a child process; as root it drops to user {@code nobody} ({@code -u}), since
 * PgBouncer refuses to run as root, so its folder is world-writable.
 */
public final class PgBouncerServer implements AutoCloseable {
    /** Where Debian installs it (not on a non-root PATH). */
    public static final Path DEBIAN_BINARY = Path.of("/usr/sbin/pgbouncer");

    private final Process process;
    private final int port;

    private PgBouncerServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The pgbouncer binary: Debian's, else one on the PATH; empty when not installed. */
    public static Optional<Path> binary() {
        if (Files.isExecutable(DEBIAN_BINARY)) {
            return Optional.of(DEBIAN_BINARY);
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "pgbouncer");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Starts PgBouncer on 127.0.0.1 and waits until it listens.
     *
     * @param port the port, or 0 for a free one
     * @param serverPort the PostgreSQL server's port on 127.0.0.1; every database name is passed through
     * @param users the logins PgBouncer accepts (user to password)
     */
    public static PgBouncerServer start(int port, int serverPort, Map<String, String> users) {
        Path binary = binary().orElseThrow(() -> new IllegalStateException(
                "PgBouncer is not installed (apt-get install pgbouncer)"));
        int chosen = port > 0 ? port : LocalPorts.free();
        try {
            Path dir = Files.createTempDirectory("pgbouncer-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
            Path ini = dir.resolve("pgbouncer.ini");
            Path authFile = dir.resolve("users.txt");
            Files.writeString(authFile, users.entrySet().stream()
                    .map(u -> quote(u.getKey()) + " " + quote(u.getValue()))
                    .collect(Collectors.joining("\n", "", "\n")));
            Files.writeString(ini, """
                    [databases]
                    * = host=127.0.0.1 port=%d

                    [pgbouncer]
                    listen_addr = 127.0.0.1
                    listen_port = %d
                    unix_socket_dir =
                    auth_type = scram-sha-256
                    auth_file = %s
                    pool_mode = transaction
                    max_client_conn = 1000
                    default_pool_size = 20
                    ; Tests create many databases; idle server connections must not pile up to max_connections.
                    server_idle_timeout = 10
                    ; pgjdbc sends extra_float_digits at every login; anything else (options=-c ...) is refused.
                    ignore_startup_parameters = extra_float_digits
                    pidfile = %s
                    logfile = %s
                    """.formatted(serverPort, chosen, authFile, dir.resolve("pgbouncer.pid"), dir.resolve("pgbouncer.log")));
            boolean root = "root".equals(System.getProperty("user.name"));
            List<String> command = root
                    ? List.of(binary.toString(), "-u", "nobody", ini.toString())
                    : List.of(binary.toString(), ini.toString());
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile())
                    .start();
            PgBouncerServer server = new PgBouncerServer(process, chosen);
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "pgbouncer-stop"));
            LocalPorts.awaitListening(process, chosen, Duration.ofSeconds(20), "pgbouncer (log: " + dir + ")");
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("pgbouncer did not start", e);
        }
    }

    private static String quote(String value) {
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        process.destroy();
    }
}
