package dev.huddle.common.db;

import dev.huddle.common.Config;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.postgresql.PGProperty;

/** Opens one new database connection. Tests wrap it (counting, failing); production uses {@link #pgjdbc}. */
@FunctionalInterface
public interface ConnectionFactory {

    Connection open() throws SQLException;

    /** A pgjdbc connection with fixed credentials; see {@link #pgjdbc(String, CredentialSource, Duration, Duration, String)}. */
    static ConnectionFactory pgjdbc(String url, String user, String password, Duration connectTimeout,
                                    Duration statementTimeout, String applicationName) {
        return pgjdbc(url, CredentialSource.fixed(user, password), connectTimeout, statementTimeout, applicationName);
    }

    /**
     * A pgjdbc connection with every timeout bounded: TCP connect and login ({@code connectTimeout},
     * {@code loginTimeout}), the server-side {@code statement_timeout} (sent in the startup packet, so it
     * costs no extra round trip and holds for the life of the connection), and a socket read timeout one
     * second longer as the backstop when the server or network stops answering. pgjdbc takes whole
     * seconds, so millisecond settings are rounded up. TCP keepalive lets the kernel notice dead peers.
     *
     * <p>The credentials come from {@code credentials} at each login; when the server rejects them (the
     * secret was rotated), the login is tried once more with renewed ones.
     */
    static ConnectionFactory pgjdbc(String url, CredentialSource credentials, Duration connectTimeout,
                                    Duration statementTimeout, String applicationName) {
        Properties settings = new Properties();
        PGProperty.CONNECT_TIMEOUT.set(settings, seconds(connectTimeout));
        PGProperty.LOGIN_TIMEOUT.set(settings, seconds(connectTimeout));
        PGProperty.SOCKET_TIMEOUT.set(settings, seconds(statementTimeout) + 1);
        PGProperty.OPTIONS.set(settings, "-c statement_timeout=" + Math.max(1, statementTimeout.toMillis()));
        PGProperty.TCP_KEEP_ALIVE.set(settings, true);
        PGProperty.APPLICATION_NAME.set(settings, applicationName);
        return () -> {
            DbCredentials used = credentials.current();
            try {
                return login(url, settings, used);
            } catch (SQLException e) {
                if (!SqlFailures.isAuthenticationFailure(e)) {
                    throw e;
                }
                Optional<DbCredentials> renewed = credentials.renewedAfterRejection(used);
                if (renewed.isEmpty()) {
                    throw e;
                }
                return login(url, settings, renewed.get());
            }
        };
    }

    /** The production factory for a configuration: its URL and its credentials (secret or settings). */
    static ConnectionFactory fromConfig(Config config, Duration connectTimeout, Duration statementTimeout,
                                        String applicationName) {
        return pgjdbc(config.dbUrl(), CredentialSource.fromConfig(config), connectTimeout, statementTimeout,
                applicationName);
    }

    private static Connection login(String url, Properties settings, DbCredentials credentials) throws SQLException {
        Properties props = new Properties();
        props.putAll(settings);
        PGProperty.USER.set(props, credentials.user());
        PGProperty.PASSWORD.set(props, credentials.password());
        return DriverManager.getConnection(url, props);
    }

    private static int seconds(Duration d) {
        return (int) Math.max(1, (d.toMillis() + 999) / 1000);
    }
}
