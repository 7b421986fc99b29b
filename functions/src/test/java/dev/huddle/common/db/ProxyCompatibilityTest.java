package dev.huddle.common.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.huddle.devservers.LatencyProxy;
import dev.huddle.devservers.PgBouncerServer;
import dev.huddle.devservers.TestPostgres;
import dev.huddle.ingest.IngestDatabase;
import dev.huddle.sql.DatabaseRole;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 10: the functions' logins must pass RDS Proxy, which refuses any startup option ("RDS Proxy
 * currently doesn't support command-line options") and pins a connection that SETs session state. The
 * startup packet is read on the wire; PgBouncer (as strict: it refuses the same login) shows the refusal
 * and that the role's own statement_timeout applies through the pooler.
 */
class ProxyCompatibilityTest {
    /** What pgjdbc may send at login that PgBouncer tracks or ignores (its ignore_startup_parameters). */
    private static final java.util.Set<String> POOLER_SAFE = java.util.Set.of(
            "user", "database", "application_name", "client_encoding", "DateStyle", "TimeZone", "extra_float_digits");

    private static IngestDatabase db;
    private static PgBouncerServer pgBouncer;

    @BeforeAll
    static void start() {
        db = IngestDatabase.create();
        if (PgBouncerServer.binary().isPresent()) {
            pgBouncer = PgBouncerServer.start(0, db.serverPort(), Map.of(DatabaseRole.INGEST.roleName(),
                    TestPostgres.ROLE_PASSWORD));
        }
    }

    @AfterAll
    static void stop() {
        if (pgBouncer != null) {
            pgBouncer.close();
        }
    }

    @Test
    void theProductionLogin_sendsNoStartupOptions_onlyParametersAPoolerAccepts() throws Exception {
        try (LatencyProxy wire = LatencyProxy.start(db.host(), db.port(), Duration.ZERO);
                Connection c = db.factory(Duration.ofSeconds(3), "huddle-ingest-wire", wire.port()).open()) {
            assertThat(c.isValid(2)).isTrue();
            Map<String, String> startup = startupParameters(wire.clientOpenings().getFirst());

            assertThat(startup).doesNotContainKey("options").containsEntry("user", "huddle_ingest");
            assertThat(POOLER_SAFE).containsAll(startup.keySet());
        }
    }

    @Test
    void theRolesStatementTimeout_appliesWithoutAnyStartupOption() throws Exception {
        try (Connection c = db.factory(Duration.ofSeconds(3), "huddle-ingest-timeout", null).open()) {
            assertThat(show(c, "statement_timeout")).isEqualTo("3s");
        }
    }

    @Test
    void aStatementRunManyTimes_leavesNoNamedPreparedStatementInTheSession() throws Exception {
        try (Connection c = db.factory(Duration.ofSeconds(3), "huddle-ingest-prepared", null).open();
                java.sql.PreparedStatement st = c.prepareStatement("SELECT ?::int")) {
            for (int i = 0; i < 10; i++) {
                st.setInt(1, i);
                st.executeQuery().close();
            }
            try (Statement check = c.createStatement();
                    ResultSet rs = check.executeQuery("SELECT count(*) FROM pg_prepared_statements")) {
                rs.next();
                assertThat(rs.getLong(1)).isZero();
            }
        }
    }

    @Test
    void pgBouncer_refusesALoginWithStartupOptions_asRdsProxyDoes() {
        assumeTrue(pgBouncer != null, "PgBouncer is not installed (apt-get install pgbouncer): skipped");
        Properties withOptions = loginProperties();
        withOptions.setProperty("options", "-c statement_timeout=1000");

        assertThatThrownBy(() -> DriverManager.getConnection(pooledUrl(), withOptions).close())
                .isInstanceOf(SQLException.class).hasMessageContaining("unsupported startup parameter: options");
    }

    @Test
    void theProductionLogin_passesPgBouncer_andGetsItsRolesTimeoutThere() throws Exception {
        assumeTrue(pgBouncer != null, "PgBouncer is not installed (apt-get install pgbouncer): skipped");
        ConnectionFactory production = ConnectionFactory.pgjdbc(pooledUrl(),
                CredentialSource.fixed(DatabaseRole.INGEST.roleName(), TestPostgres.ROLE_PASSWORD),
                DatabaseTls.disabled(), Duration.ofSeconds(3), Duration.ofSeconds(3), "huddle-ingest-pooled");

        try (Connection c = production.open()) {
            assertThat(show(c, "statement_timeout")).isEqualTo("3s");
            assertThat(show(c, "application_name")).isEqualTo("huddle-ingest-pooled");
        }
    }

    private static String pooledUrl() {
        URI direct = URI.create(db.jdbcUrl(DatabaseRole.INGEST).substring("jdbc:".length()));
        return "jdbc:postgresql://127.0.0.1:" + pgBouncer.port() + direct.getPath();
    }

    private static Properties loginProperties() {
        Properties p = new Properties();
        p.setProperty("user", DatabaseRole.INGEST.roleName());
        p.setProperty("password", TestPostgres.ROLE_PASSWORD);
        return p;
    }

    private static String show(Connection c, String setting) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** The key/value pairs of a protocol 3.0 StartupMessage: length, version, then key\0value\0 ... \0. */
    private static Map<String, String> startupParameters(byte[] packet) {
        ByteBuffer buffer = ByteBuffer.wrap(packet);
        int length = buffer.getInt();
        assertThat(buffer.getInt()).as("protocol 3.0 (no SSLRequest first)").isEqualTo(196608);
        Map<String, String> parameters = new LinkedHashMap<>();
        String key;
        while (buffer.position() < length && !(key = cString(buffer)).isEmpty()) {
            parameters.put(key, cString(buffer));
        }
        return parameters;
    }

    private static String cString(ByteBuffer buffer) {
        int start = buffer.position();
        while (buffer.get() != 0) {
            // to the terminating zero
        }
        return new String(buffer.array(), start, buffer.position() - start - 1, StandardCharsets.UTF_8);
    }
}
