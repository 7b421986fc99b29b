package dev.huddle.common.db;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.util.Set;

/**
 * Sorts SQL failures into what they mean for the caller: the connection is gone, the database is
 * unavailable for now (answer 503), or a bug. SQLState classes: https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
final class SqlFailures {
    /** admin_shutdown, crash_shutdown, cannot_connect_now: the server ended or refuses the session. */
    private static final Set<String> SESSION_ENDED = Set.of("57P01", "57P02", "57P03");
    /** query_canceled (statement_timeout), lock_not_available, serialization_failure, deadlock_detected. */
    private static final Set<String> TRANSIENT = Set.of("57014", "55P03", "40001", "40P01");

    /** invalid_password, invalid_authorization_specification: the server refused the login. */
    private static final Set<String> AUTHENTICATION = Set.of("28P01", "28000");

    private SqlFailures() {
    }

    /** The connection cannot be used again: class 08, the server ended the session, or an I/O error. */
    public static boolean isConnectionFailure(SQLException e) {
        String state = e.getSQLState();
        return (state != null && (state.startsWith("08") || SESSION_ENDED.contains(state)))
                || hasCause(e, IOException.class);
    }

    /**
     * A connection failure that is not a read timeout: the socket was already dead when we wrote to it (a
     * proxy or NAT dropped it while the container was frozen, or the server ended the session while idle).
     * pgjdbc reports send and receive I/O errors alike, so the cause type tells them apart: a timeout means
     * the database is slow, and retrying would only double the wait.
     */
    public static boolean isDeadSocket(SQLException e) {
        return isConnectionFailure(e) && !hasCause(e, SocketTimeoutException.class);
    }

    /** The server refused the user name or password (e.g. the secret was rotated since we read it). */
    public static boolean isAuthenticationFailure(SQLException e) {
        return AUTHENTICATION.contains(e.getSQLState());
    }

    /** Worth a 503 with Retry-After: down, slow, overloaded (class 53) or a transient conflict. */
    public static boolean isUnavailable(SQLException e) {
        String state = e.getSQLState();
        return isConnectionFailure(e)
                || (state != null && (state.startsWith("53") || TRANSIENT.contains(state)));
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
