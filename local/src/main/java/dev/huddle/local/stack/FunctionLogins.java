package dev.huddle.local.stack;

import dev.huddle.sql.DatabaseRole;
import java.security.SecureRandom;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Each local function's settings: the stack's, logged in as the function's own database role (README
 * "Database roles"), as on AWS, so a missing grant fails locally too. The passwords are new on every start
 * and set by the migration step ({@link dev.huddle.sql.DatabaseRoles}); the stack talks to its server
 * without TLS.
 */
final class FunctionLogins {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, String> settings;
    private final Map<DatabaseRole, String> passwords = new EnumMap<>(DatabaseRole.class);

    /** {@code settings}: the functions' environment (DB_URL possibly through the latency proxy). */
    FunctionLogins(Map<String, String> settings) {
        this.settings = Map.copyOf(settings);
        for (DatabaseRole role : DatabaseRole.values()) {
            byte[] secret = new byte[18];
            RANDOM.nextBytes(secret);
            passwords.put(role, HexFormat.of().formatHex(secret));
        }
    }

    /** Role name to password, for {@link dev.huddle.sql.DatabaseRoles#ensure}. */
    Map<String, String> passwords() {
        Map<String, String> byName = new HashMap<>();
        passwords.forEach((role, password) -> byName.put(role.roleName(), password));
        return byName;
    }

    /** The environment of the function that logs in as {@code role}, which its settings record reads. */
    Map<String, String> environment(DatabaseRole role) {
        Map<String, String> login = new HashMap<>(settings);
        login.put("DB_USER", role.roleName());
        login.put("DB_PASSWORD", passwords.get(role));
        login.putIfAbsent("DB_SSL_MODE", "disable");
        return login;
    }
}
