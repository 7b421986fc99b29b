package dev.huddle.common.db;

import dev.huddle.common.AwsConfig;
import dev.huddle.common.DatabaseConfig;
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

    /**
     * A pgjdbc connection that a transaction-pooling proxy (RDS Proxy, PgBouncer) can carry: the startup
     * packet holds only the user, database and application_name (RDS Proxy refuses a login with startup
     * options, "Feature not supported: RDS Proxy currently doesn't support command-line options"), and
     * nothing is kept in the session (no SET, no named prepared statement) (RDS Proxy would pin the connection; a pooler would lose it). The
     * server-side statement_timeout is therefore a setting of the login role (sql module, DatabaseRole).
     *
     * <p>Every wait is bounded on the client: TCP connect and login ({@code connectTimeout},
     * {@code loginTimeout}), and a socket read timeout one second longer than {@code statementTimeout}
     * as the backstop when the server or network stops answering. pgjdbc takes whole seconds, so
     * millisecond settings are rounded up. TCP keepalive lets the kernel notice dead peers.
     *
     * <p>The credentials come from {@code credentials} at each login; when the server rejects them (the
     * secret was rotated), the login is tried once more with renewed ones.
     */
    static ConnectionFactory pgjdbc(String url, CredentialSource credentials, DatabaseTls tls, Duration connectTimeout,
                                    Duration statementTimeout, String applicationName) {
        Properties settings = new Properties();
        PGProperty.CONNECT_TIMEOUT.set(settings, seconds(connectTimeout));
        PGProperty.LOGIN_TIMEOUT.set(settings, seconds(connectTimeout));
        PGProperty.SOCKET_TIMEOUT.set(settings, seconds(statementTimeout) + 1);
        PGProperty.TCP_KEEP_ALIVE.set(settings, true);
        PGProperty.APPLICATION_NAME.set(settings, applicationName);
        // No named server-side prepared statements (pgjdbc names one after 5 executions): they live in the
        // session, which a transaction-mode pooler hands to another client. The procedures cache their own
        // plans inside the server either way.
        PGProperty.PREPARE_THRESHOLD.set(settings, 0);
        tls.apply(settings);
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

    /** The production factory for a configuration: its URL, TLS and credentials (secret or settings). */
    static ConnectionFactory fromConfig(DatabaseConfig config, AwsConfig aws, Duration connectTimeout,
                                        Duration statementTimeout, String applicationName) {
        return pgjdbc(config.url(), CredentialSource.fromConfig(config, aws), DatabaseTls.fromConfig(config),
                connectTimeout, statementTimeout, applicationName);
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
