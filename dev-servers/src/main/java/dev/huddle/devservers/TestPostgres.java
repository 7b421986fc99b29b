package dev.huddle.devservers;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * One real PostgreSQL per test JVM, shared by all test classes; each caller gets a fresh, empty database
 * so tests stay independent without paying for a server start each. A database that every test prepares
 * the same way (migrated and seeded) is prepared once as a template and copied.
 *
 * <p>{@link Database#dataSource()} is the superuser (fixtures, migrations: the bootstrap that the RDS admin
 * does on AWS); the code under test logs in as its own database role with {@link Database#login}. With the
 * system property {@code huddle.test.pooler=pgbouncer} (the functions module's pooled test run) those
 * logins go through one PgBouncer in transaction-pooling mode in front of the server
 * ({@link PgBouncerServer}), as the functions go through RDS Proxy on AWS.
 *
 * <p>Set {@code HUDDLE_TEST_PG_URL} (a JDBC URL to an existing server's maintenance database, e.g.
 * {@code jdbc:postgresql://127.0.0.1:5432/postgres}), {@code HUDDLE_TEST_PG_USER} and
 * {@code HUDDLE_TEST_PG_PASSWORD} to use an external server instead of the embedded one.
 */
public final class TestPostgres {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    /** Template key -> name of the database prepared for it in this JVM. */
    private static final Map<String, String> TEMPLATES = new ConcurrentHashMap<>();
    private static volatile Server server;

    private TestPostgres() {
    }

    /** The system property that routes {@link Database#login}s through PgBouncer. */
    public static final String POOLER_PROPERTY = "huddle.test.pooler";
    /** Every test role's password (the embedded server trusts local logins; PgBouncer checks it). */
    public static final String ROLE_PASSWORD = "test-role-password";

    /** A connection target for one freshly created database. */
    public record Database(String name, String jdbcUrl, String user, String password, DataSource dataSource) {
        /**
         * Where a database role logs in: through the pooler in the pooled run, else straight to the server.
         * Through the pooler with {@code prepareThreshold=0}, as the functions' ConnectionFactory connects:
         * pgjdbc names a statement run five times, and PgBouncer in transaction mode loses named statements.
         */
        public Login login(String role) {
            return new Login(pooledUrl().map(url -> url + name + "?prepareThreshold=0").orElse(jdbcUrl), role,
                    ROLE_PASSWORD);
        }
    }

    /** A JDBC URL with a user and password. */
    public record Login(String jdbcUrl, String user, String password) {
        public DataSource dataSource() {
            return new SimpleDataSource(jdbcUrl, user, password);
        }
    }

    /** True in the pooled test run ({@value #POOLER_PROPERTY}=pgbouncer). */
    public static boolean pooled() {
        return "pgbouncer".equals(System.getProperty(POOLER_PROPERTY));
    }

    private static volatile PgBouncerServer pooler;

    /** "jdbc:postgresql://127.0.0.1:PORT/" of the JVM's PgBouncer in the pooled run. */
    private static Optional<String> pooledUrl() {
        if (!pooled()) {
            return Optional.empty();
        }
        PgBouncerServer p = pooler;
        if (p == null) {
            synchronized (TestPostgres.class) {
                p = pooler;
                if (p == null) {
                    Server s = server();
                    int serverPort = java.net.URI.create(s.baseUrl.substring("jdbc:".length())).getPort();
                    Map<String, String> users = new java.util.LinkedHashMap<>();
                    for (String role : LOGIN_ROLES) {
                        users.put(role, ROLE_PASSWORD);
                    }
                    p = PgBouncerServer.start(0, serverPort, users);
                    pooler = p;
                }
            }
        }
        return Optional.of("jdbc:postgresql://127.0.0.1:" + p.port() + "/");
    }

    /** The login roles the pooler accepts: the names of the sql module's DatabaseRole (which depends on this module). */
    private static final List<String> LOGIN_ROLES = List.of("huddle_migrator", "huddle_ingest", "huddle_health",
            "huddle_admin_api", "huddle_rollup_worker", "huddle_rollup_sweep", "huddle_retention");

    public static Database newDatabase() {
        return create("");
    }

    /**
     * A fresh database copied from the template {@code key}, which {@code prepare} fills once per JVM (e.g.
     * migrations and seed data). Copying (CREATE DATABASE ... TEMPLATE) costs a fraction of preparing
     * again; callers with the same key must prepare the same way.
     */
    public static Database newDatabase(String key, Consumer<DataSource> prepare) {
        String template = TEMPLATES.computeIfAbsent(key, k -> {
            Database prepared = create("");
            prepare.accept(prepared.dataSource());
            return prepared.name();
        });
        // PostgreSQL copies a template only when no session uses it; it waits a few seconds for closing ones.
        return create(" TEMPLATE " + template);
    }

    private static Database create(String options) {
        Server s = server();
        String name = "test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = s.admin.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name + options);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database " + name, e);
        }
        String url = s.urlFor(name);
        return new Database(name, url, s.user, s.password, new SimpleDataSource(url, s.user, s.password));
    }

    private static Server server() {
        Server s = server;
        if (s == null) {
            synchronized (TestPostgres.class) {
                s = server;
                if (s == null) {
                    s = Server.start();
                    server = s;
                }
            }
        }
        return s;
    }

    private record Server(String baseUrl, String user, String password, DataSource admin) {
        static Server start() {
            String external = System.getenv("HUDDLE_TEST_PG_URL");
            if (external != null && !external.isBlank()) {
                String user = System.getenv().getOrDefault("HUDDLE_TEST_PG_USER", "postgres");
                String password = System.getenv().getOrDefault("HUDDLE_TEST_PG_PASSWORD", "");
                return new Server(external, user, password, new SimpleDataSource(external, user, password));
            }
            PostgresServer embedded = PostgresServer.start(null, 0);
            Runtime.getRuntime().addShutdownHook(new Thread(embedded::close, "test-postgres-stop"));
            String url = embedded.jdbcUrl("postgres");
            return new Server(url, embedded.user(), embedded.password(), embedded.dataSource("postgres"));
        }

        String urlFor(String database) {
            int slash = baseUrl.lastIndexOf('/');
            int query = baseUrl.indexOf('?', slash);
            return baseUrl.substring(0, slash + 1) + database + (query >= 0 ? baseUrl.substring(query) : "");
        }
    }
}
