package dev.huddle.common.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.postgresql.PGProperty;
import org.postgresql.ssl.WrappedFactory;

/**
 * pgjdbc's {@code sslfactory} for {@link DatabaseTls}: trusts exactly the CAs of {@code sslrootcert}
 * (PEM, a {@code classpath:} resource or a file), not the JVM's default trust store. pgjdbc builds one
 * per connection from the connection's properties; the parsed CAs are cached per location, so only the
 * first connection of a container reads the bundle (before a SnapStart snapshot, when primed).
 */
public final class BundledCaSslFactory extends WrappedFactory {
    private static final ConcurrentMap<String, SSLSocketFactory> BY_LOCATION = new ConcurrentHashMap<>();

    public BundledCaSslFactory(Properties info) {
        String location = PGProperty.SSL_ROOT_CERT.getOrDefault(info);
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("sslrootcert is not set");
        }
        factory = BY_LOCATION.computeIfAbsent(location, BundledCaSslFactory::trusting);
    }

    private static SSLSocketFactory trusting(String location) {
        try (InputStream pem = open(location)) {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int n = 0;
            for (Certificate ca : CertificateFactory.getInstance("X.509").generateCertificates(pem)) {
                trusted.setCertificateEntry("ca-" + n++, ca);
            }
            if (n == 0) {
                throw new IllegalStateException("no certificate in " + location);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the database CAs at " + location, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot use the database CAs at " + location, e);
        }
    }

    private static InputStream open(String location) throws IOException {
        if (location.startsWith("classpath:")) {
            String resource = location.substring("classpath:".length());
            InputStream in = BundledCaSslFactory.class.getClassLoader().getResourceAsStream(resource);
            if (in == null) {
                throw new IOException("no resource " + resource);
            }
            return in;
        }
        return Files.newInputStream(Path.of(location));
    }
}
