package dev.huddle.common.db;

import dev.huddle.common.DatabaseConfig;
import java.util.Objects;
import java.util.Properties;
import org.postgresql.PGProperty;
import org.postgresql.ds.common.BaseDataSource;

/**
 * How a connection protects itself in transit: pgjdbc's {@code sslmode} and the certificate authorities it
 * trusts. On AWS: {@code verify-full} (encrypted, the server's chain checked against the bundled CAs, and
 * its name against the host we dialled) with {@link #RDS_CA_BUNDLE}, the CAs of RDS instances and of RDS
 * Proxy, shipped in the functions jar. The local stack and tests talk to a server on 127.0.0.1 without TLS
 * ({@code disable}).
 *
 * @param sslMode pgjdbc's sslmode: disable, require, verify-ca or verify-full
 * @param rootCert the trusted CAs (PEM): {@code classpath:} a resource, else a file path
 */
public record DatabaseTls(String sslMode, String rootCert) {
    /** The CAs of Amazon RDS and RDS Proxy; provenance in the file's header. */
    public static final String RDS_CA_BUNDLE = "classpath:dev/huddle/common/db/rds-ca-bundle.pem";
    public static final String VERIFY_FULL = "verify-full";

    public DatabaseTls {
        Objects.requireNonNull(sslMode, "sslMode == null");
        Objects.requireNonNull(rootCert, "rootCert == null");
    }

    public static DatabaseTls disabled() {
        return new DatabaseTls("disable", RDS_CA_BUNDLE);
    }

    public static DatabaseTls verifyFull(String rootCert) {
        return new DatabaseTls(VERIFY_FULL, rootCert);
    }

    public static DatabaseTls fromConfig(DatabaseConfig config) {
        return new DatabaseTls(config.sslMode(), config.sslRootCert());
    }

    /**
     * Sets the connection properties. pgjdbc reads {@code sslrootcert} only from a file, so the CAs are
     * read by {@link BundledCaSslFactory} (which also serves {@code classpath:} locations); pgjdbc still
     * checks the host name itself under verify-full.
     */
    void apply(Properties settings) {
        PGProperty.SSL_MODE.set(settings, sslMode);
        if (!sslMode.equals("disable")) {
            PGProperty.SSL_FACTORY.set(settings, BundledCaSslFactory.class.getName());
            PGProperty.SSL_ROOT_CERT.set(settings, rootCert);
        }
    }

    /** The same settings on a pgjdbc DataSource (the migration's Flyway). */
    public void apply(BaseDataSource dataSource) {
        dataSource.setSslMode(sslMode);
        if (!sslMode.equals("disable")) {
            dataSource.setSslfactory(BundledCaSslFactory.class.getName());
            dataSource.setSslRootCert(rootCert);
        }
    }
}
