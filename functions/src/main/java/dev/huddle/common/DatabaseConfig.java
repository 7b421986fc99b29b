package dev.huddle.common;

import dev.huddle.common.db.DatabaseTls;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The database settings every function that logs in shares: where, as whom (settings or a secret), with
 * which TLS, and the request path's time budgets.
 *
 * @param secretArn the credentials' secret on AWS ({"username","password",...}); when set it replaces
 *                  DB_USER/DB_PASSWORD and is read at the first connection, again after a rotation
 * @param latencySlo a database call slower than this on average makes ingest ask clients to slow down and
 *                   health say "degraded"
 */
public record DatabaseConfig(
        String url,
        String user,
        String password,
        String sslMode,
        String sslRootCert,
        Duration connectTimeout,
        Duration statementTimeout,
        Duration latencySlo,
        Optional<String> secretArn) {

    public static DatabaseConfig from(Map<String, String> env) {
        Settings s = Settings.of(env);
        return new DatabaseConfig(
                s.text("DB_URL", "jdbc:postgresql://127.0.0.1:5432/huddle"),
                s.text("DB_USER", "huddle"),
                s.text("DB_PASSWORD", ""),
                // TLS to the database (dev.huddle.common.db.DatabaseTls): by default the server's certificate
                // must chain to the bundled RDS / RDS Proxy CAs and name the host dialled; the local stack
                // and tests set "disable" for their server on 127.0.0.1.
                s.text("DB_SSL_MODE", DatabaseTls.VERIFY_FULL),
                s.text("DB_SSL_ROOT_CERT", DatabaseTls.RDS_CA_BUNDLE),
                s.millis("DB_CONNECT_TIMEOUT_MS", 2_000),
                s.millis("DB_STATEMENT_TIMEOUT_MS", 3_000),
                s.millis("DB_LATENCY_SLO_MS", 500),
                s.optionalText("DB_SECRET_ARN"));
    }
}
