package dev.huddle.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A SHA-256 over the names and contents of the Flyway migration files, computed at synth. The stack puts
 * it in the migrations custom resource's properties: a changed, added or removed file changes the hash,
 * CloudFormation sees a changed property and sends an Update, and the migrations run on that deploy.
 */
public final class MigrationsHash {
    private MigrationsHash() {
    }

    public static String of(Path migrationsDirectory) {
        if (!Files.isDirectory(migrationsDirectory)) {
            throw new IllegalArgumentException("no migrations directory: " + migrationsDirectory.toAbsolutePath());
        }
        try (Stream<Path> files = Files.list(migrationsDirectory)) {
            List<Path> sqlFiles = files.filter(f -> f.getFileName().toString().endsWith(".sql")).sorted().toList();
            if (sqlFiles.isEmpty()) {
                throw new IllegalArgumentException("no .sql files in " + migrationsDirectory.toAbsolutePath());
            }
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path file : sqlFiles) {
                digest.update(file.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(Files.readAllBytes(file));
                digest.update((byte) 0);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
