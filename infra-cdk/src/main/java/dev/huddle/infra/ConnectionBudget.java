package dev.huddle.infra;

import java.util.Locale;
import java.util.Map;

/**
 * How many PostgreSQL connections the RDS Proxy may open, and how many of them ingest may hold, so that a
 * burst of ingest can never take every connection away from the rollups, retention, health and the admin
 * route (issue 9).
 *
 * <p>RDS sets PostgreSQL's max_connections to LEAST(DBInstanceClassMemory / 9531392, 5000) (RDS user guide,
 * "Maximum number of database connections"). DBInstanceClassMemory is the class's memory less what the
 * operating system and RDS reserve; {@value #USABLE_MEMORY_SHARE} of the nominal memory is a conservative
 * estimate of it. The proxy opens at most {@value #PROXY_MAX_CONNECTIONS_PERCENT}% of max_connections; the
 * rest is left for the secret rotation functions (they connect to the instance directly) and an operator.
 *
 * <p>Every Lambda execution environment holds at most one client connection, and a client connection uses
 * at most one database connection at a time, so ingest's reserved concurrency bounds the database
 * connections ingest can use. It must leave room for the worker's maximum concurrency plus
 * {@value #OTHER_CLIENTS} connections: sweep, retention, migrations, health and the admin route.
 */
public record ConnectionBudget(String instanceClass, int maxConnections, int proxyConnections) {
    public static final int PROXY_MAX_CONNECTIONS_PERCENT = 80;
    /** Sweep (1), retention (1), migrations (1), health and the admin route (a few each). */
    public static final int OTHER_CLIENTS = 10;
    /** Ingest's reserved concurrency when the instance has room for it. */
    public static final int DEFAULT_INGEST_RESERVED_CONCURRENCY = 100;
    private static final double USABLE_MEMORY_SHARE = 0.75;
    private static final long BYTES_PER_CONNECTION = 9_531_392L;
    /** GiB of memory by instance size, for the t and m classes (r classes have twice as much: a safe underestimate). */
    private static final Map<String, Integer> MEMORY_GIB = Map.ofEntries(
            Map.entry("micro", 1), Map.entry("small", 2), Map.entry("medium", 4), Map.entry("large", 8),
            Map.entry("xlarge", 16), Map.entry("2xlarge", 32), Map.entry("4xlarge", 64), Map.entry("8xlarge", 128),
            Map.entry("12xlarge", 192), Map.entry("16xlarge", 256), Map.entry("24xlarge", 384));

    /** The budget of an instance class such as {@code t4g.small}. */
    public static ConnectionBudget of(String instanceClass) {
        String size = instanceClass.substring(instanceClass.indexOf('.') + 1).toLowerCase(Locale.ROOT);
        Integer gib = MEMORY_GIB.get(size);
        if (gib == null) {
            throw new IllegalArgumentException("dbInstanceClass size must be one of " + MEMORY_GIB.keySet()
                    + " (its connection budget is computed from its memory): " + instanceClass);
        }
        int maxConnections = (int) Math.min(5000, (long) (gib * 1024L * 1024 * 1024 * USABLE_MEMORY_SHARE) / BYTES_PER_CONNECTION);
        return new ConnectionBudget(instanceClass, maxConnections, maxConnections * PROXY_MAX_CONNECTIONS_PERCENT / 100);
    }

    /** The connections ingest may hold at most, given the worker's maximum concurrency. */
    public int ingestLimit(int workerMaxConcurrency) {
        return proxyConnections - workerMaxConcurrency - OTHER_CLIENTS;
    }

    /** {@link #DEFAULT_INGEST_RESERVED_CONCURRENCY}, or less on an instance too small for it. */
    public int defaultIngestReservedConcurrency(int workerMaxConcurrency) {
        return Math.min(DEFAULT_INGEST_RESERVED_CONCURRENCY, ingestLimit(workerMaxConcurrency));
    }
}
