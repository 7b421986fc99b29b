package dev.huddle.common.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import org.postgresql.PGProperty;

/** Opens one new database connection. Tests wrap it (counting, failing); production uses {@link #pgjdbc}. */
@FunctionalInterface
public interface ConnectionFactory {

    Connection open() throws SQLException;

    /**
     * A pgjdbc connection with every timeout bounded: TCP connect and login ({@code connectTimeout},
     * {@code loginTimeout}), the server-side {@code statement_timeout} (sent in the startup packet, so it
     * costs no extra round trip and holds for the life of the connection), and a socket read timeout one
     * second longer as the backstop when the server or network stops answering. pgjdbc takes whole
     * seconds, so millisecond settings are rounded up. TCP keepalive lets the kernel notice dead peers.
     */
    static ConnectionFactory pgjdbc(String url, String user, String password, Duration connectTimeout,
                                    Duration statementTimeout, String applicationName) {
        Properties props = new Properties();
        PGProperty.USER.set(props, user);
        PGProperty.PASSWORD.set(props, password);
        PGProperty.CONNECT_TIMEOUT.set(props, seconds(connectTimeout));
        PGProperty.LOGIN_TIMEOUT.set(props, seconds(connectTimeout));
        PGProperty.SOCKET_TIMEOUT.set(props, seconds(statementTimeout) + 1);
        PGProperty.OPTIONS.set(props, "-c statement_timeout=" + Math.max(1, statementTimeout.toMillis()));
        PGProperty.TCP_KEEP_ALIVE.set(props, true);
        PGProperty.APPLICATION_NAME.set(props, applicationName);
        return () -> DriverManager.getConnection(url, props);
    }

    private static int seconds(Duration d) {
        return (int) Math.max(1, (d.toMillis() + 999) / 1000);
    }
}
