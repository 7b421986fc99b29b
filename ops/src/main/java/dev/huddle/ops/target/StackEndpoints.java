package dev.huddle.ops.target;

import dev.huddle.common.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a running local stack's pieces are: {@code .local-stack/endpoints.json}, written by {@code run} once
 * the stack is ready and removed when it stops. Commands that work against a running stack ({@code replay},
 * {@code retention}, {@code backfill}) read it, so they reach the same database, queues and bucket as the
 * stack's functions, whatever free ports the embedded servers got.
 * It lives in ops/ with {@link StateDirectory}, the commands' side of this file; the emulated stack in
 * local/ (dev.huddle.local.stack.StackRunner) writes it through this same class, so the format has one home.
 *
 * <p>It holds the settings the stack passes to its functions ({@code DB_URL}, {@code DB_USER},
 * {@code DB_PASSWORD}, {@code DYNAMODB_ENDPOINT}, {@code SQS_ENDPOINT}, {@code ROLLUP_QUEUE_URL},
 * {@code ROLLUP_DLQ_URL}, {@code S3_ENDPOINT}, {@code SNAPSHOT_BUCKET}, ...) as {@link dev.huddle.common.Settings}
 * names. The embedded database's password is in it, so the file is readable by its owner only.
 *
 * @param pid the stack's process (a file left by a killed stack is recognised as stale)
 * @param apiUrl the HTTP API's base URL
 * @param settings Config settings, by environment variable name
 */
public record StackEndpoints(long pid, String apiUrl, Map<String, String> settings) {
    public static final String FILE_NAME = "endpoints.json";
    /** The settings that say where the stack's servers are, embedded or external. */
    public static final List<String> ADDRESS_SETTINGS = List.of("DB_URL", "DB_USER", "DB_PASSWORD",
            "DYNAMODB_ENDPOINT", "RATE_LIMIT_TABLE", "SQS_ENDPOINT", "ROLLUP_QUEUE_URL", "ROLLUP_DLQ_URL",
            "S3_ENDPOINT", "SNAPSHOT_BUCKET");

    public StackEndpoints {
        Objects.requireNonNull(apiUrl, "apiUrl == null");
        settings = Map.copyOf(settings);
    }

    public static Path file(Path stateDirectory) {
        return stateDirectory.resolve(FILE_NAME);
    }

    /** Writes the file atomically (readers never see half of it), mode 600. */
    public void write(Path stateDirectory) {
        Path target = file(stateDirectory);
        try {
            Files.createDirectories(stateDirectory);
            Path temporary = Files.createTempFile(stateDirectory, FILE_NAME, ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Json.mapper().writeValue(temporary.toFile(), this);
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    /** Removes the file if this process wrote it (a second stack's file is left alone). */
    public static void removeOwn(Path stateDirectory) {
        read(stateDirectory).filter(endpoints -> endpoints.pid() == ProcessHandle.current().pid()).ifPresent(own -> {
            try {
                Files.deleteIfExists(file(stateDirectory));
            } catch (IOException e) {
                System.err.println("cannot remove " + file(stateDirectory) + ": " + e.getMessage());
            }
        });
    }

    /** The endpoints of a stack that is running now; empty when there is no file or its process is gone. */
    public static Optional<StackEndpoints> readRunning(Path stateDirectory) {
        return read(stateDirectory).filter(endpoints -> ProcessHandle.of(endpoints.pid())
                .map(ProcessHandle::isAlive).orElse(false));
    }

    private static Optional<StackEndpoints> read(Path stateDirectory) {
        Path source = file(stateDirectory);
        if (!Files.isRegularFile(source)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.mapper().readValue(source.toFile(), StackEndpoints.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source + " (delete it if no stack is running)", e);
        }
    }
}
