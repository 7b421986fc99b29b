package dev.huddle.common.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.huddle.devservers.PostgresServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: {@code sslmode=verify-full} really verifies. A real PostgreSQL with TLS on, its certificate
 * issued by a CA made here (the JDK's keytool) for 127.0.0.1 only: the production factory connects when it
 * trusts that CA, and refuses a server whose chain ends at another CA or whose certificate names another
 * host. The shipped RDS bundle parses into the trust store the same way.
 */
class TlsVerifyFullTest {
    private static final String STORE_PASSWORD = "changeit";

    @TempDir
    static Path dir;
    private static PostgresServer server;
    private static Path trustedCa;
    private static Path otherCa;

    @BeforeAll
    static void startServerWithTls() throws Exception {
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-dname", "CN=huddle test CA", "-ext", "bc:c",
                "-validity", "2", "-keystore", "ca.p12");
        keytool("-genkeypair", "-alias", "other", "-keyalg", "EC", "-dname", "CN=another CA", "-ext", "bc:c",
                "-validity", "2", "-keystore", "other.p12");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-dname", "CN=127.0.0.1", "-validity", "2",
                "-keystore", "server.p12");
        keytool("-certreq", "-alias", "server", "-keystore", "server.p12", "-file", "server.csr");
        keytool("-gencert", "-alias", "ca", "-keystore", "ca.p12", "-infile", "server.csr", "-outfile", "server.crt",
                "-rfc", "-ext", "san=ip:127.0.0.1", "-validity", "2");
        keytool("-exportcert", "-alias", "ca", "-keystore", "ca.p12", "-rfc", "-file", "ca.pem");
        keytool("-exportcert", "-alias", "other", "-keystore", "other.p12", "-rfc", "-file", "other.pem");
        Path key = dir.resolve("server.key");
        Files.writeString(key, pem("PRIVATE KEY", privateKey(dir.resolve("server.p12")).getEncoded()));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        trustedCa = dir.resolve("ca.pem");
        otherCa = dir.resolve("other.pem");

        // 127.0.0.2 is the same machine under a name the certificate does not carry.
        server = PostgresServer.start(null, 0, Map.of("ssl", "on",
                "ssl_cert_file", dir.resolve("server.crt").toString(), "ssl_key_file", key.toString(),
                "listen_addresses", "127.0.0.1,127.0.0.2"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void verifyFull_connectsWhenTheChainEndsAtTheTrustedCaAndTheNameMatches() throws SQLException {
        try (Connection c = open("127.0.0.1", DatabaseTls.verifyFull(trustedCa.toString()));
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
            rs.next();
            assertThat(rs.getBoolean(1)).as("the session is encrypted").isTrue();
        }
    }

    @Test
    void verifyFull_refusesAServerWhoseChainEndsAtAnotherCa() {
        assertThatThrownBy(() -> open("127.0.0.1", DatabaseTls.verifyFull(otherCa.toString())).close())
                .isInstanceOf(SQLException.class).hasStackTraceContaining("PKIX path");
    }

    @Test
    void verifyFull_refusesACertificateForAnotherHostName() {
        assertThatThrownBy(() -> open("127.0.0.2", DatabaseTls.verifyFull(trustedCa.toString())).close())
                .isInstanceOf(SQLException.class).hasMessageContaining("127.0.0.2");
    }

    @Test
    void theDefault_isVerifyFullAgainstTheBundledRdsCas_whichAllParse() throws Exception {
        DatabaseTls defaults = DatabaseTls.fromConfig(dev.huddle.common.DatabaseConfig.from(Map.of()));
        assertThat(defaults).isEqualTo(DatabaseTls.verifyFull(DatabaseTls.RDS_CA_BUNDLE));
        try (InputStream bundle = getClass().getClassLoader().getResourceAsStream(
                DatabaseTls.RDS_CA_BUNDLE.substring("classpath:".length()))) {
            assertThat(CertificateFactory.getInstance("X.509").generateCertificates(bundle)).hasSize(92);
        }
        // The RDS CAs did not issue this server's certificate: verify-full refuses it.
        assertThatThrownBy(() -> open("127.0.0.1", defaults).close()).isInstanceOf(SQLException.class);
    }

    private static Connection open(String host, DatabaseTls tls) throws SQLException {
        return ConnectionFactory.pgjdbc("jdbc:postgresql://" + host + ":" + server.port() + "/postgres",
                CredentialSource.fixed(server.user(), server.password()), tls, Duration.ofSeconds(5),
                Duration.ofSeconds(5), "huddle-tls-test").open();
    }

    private static void keytool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(arguments));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", STORE_PASSWORD, "-noprompt"));
        Process keytool = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor()).as("keytool %s: %s", arguments[0], output).isZero();
    }

    private static PrivateKey privateKey(Path keyStore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, STORE_PASSWORD.toCharArray());
        }
        return (PrivateKey) store.getKey("server", STORE_PASSWORD.toCharArray());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
