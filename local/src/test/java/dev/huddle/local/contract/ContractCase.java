package dev.huddle.local.contract;

import java.util.List;
import java.util.Map;

/**
 * One row of the contract table: a real HTTP call, the state of the stack it is made in, and the answer
 * the contract promises.
 *
 * @param name what the row shows, in the test report
 * @param routeKey the spec's operation ("POST /api/client/progress/batch"); null for a call outside the spec,
 *     which the gateway must answer with its 404
 * @param call the request
 * @param condition the stack's state while the call is made
 * @param status the promised status
 * @param error the promised {@code error} code of an error body, null when the row does not name one
 */
record ContractCase(String name, String routeKey, Call call, Condition condition, int status, String error) {

    /** The stack's state during a call; the test restores the normal state after each. */
    enum Condition {
        NORMAL,
        /** The caller's token bucket emptied first ({@link ContractStack#RATE_LIMIT_BURST} good calls). */
        BUCKET_EMPTY,
        /** Every connection to PostgreSQL reset, new ones refused (the stack's LatencyProxy). */
        DATABASE_DOWN,
        /** Every round trip to PostgreSQL slowed until the functions' latency average is above the SLO. */
        DATABASE_SLOW
    }

    /** Who calls: nobody, a raw Authorization header, or a token the stack signs for a user. */
    sealed interface Auth {
        record None() implements Auth {
        }

        record Raw(String authorization) implements Auth {
        }

        /** A token for {@code user}, admin of {@code adminOrgs}, issued {@code ageMinutes} ago (10 min TTL). */
        record Token(String user, List<String> adminOrgs, int ageMinutes) implements Auth {
        }

        /** A valid token of {@code user} with one character of its signature changed. */
        record BadSignature(String user) implements Auth {
        }
    }

    /** An HTTP request; {@code pathAndQuery} as sent, {@code body} empty for none. */
    record Call(String method, String pathAndQuery, Map<String, String> headers, byte[] body, Auth auth) {
        String path() {
            int query = pathAndQuery.indexOf('?');
            return query < 0 ? pathAndQuery : pathAndQuery.substring(0, query);
        }

        Call as(Auth other) {
            return new Call(method, pathAndQuery, headers, body, other);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
