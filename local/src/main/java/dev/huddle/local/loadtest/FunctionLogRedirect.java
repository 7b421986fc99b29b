package dev.huddle.local.loadtest;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Sends stdout to a file while an own stack runs: its functions write one JSON log line per request to
 * stdout (as Lambda does), a thousand lines a second under load, which would bury the test's own output
 * and cost the machine a terminal's worth of CPU. The command's output keeps the original stream.
 */
final class FunctionLogRedirect implements AutoCloseable {
    private final PrintStream original;
    private final PrintStream file;

    private FunctionLogRedirect(PrintStream original, PrintStream file) {
        this.original = original;
        this.file = file;
    }

    static FunctionLogRedirect to(Path logFile) {
        try {
            Path parent = logFile.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            PrintStream file = new PrintStream(new BufferedOutputStream(Files.newOutputStream(logFile), 1 << 16),
                    false, java.nio.charset.StandardCharsets.UTF_8);
            FunctionLogRedirect redirect = new FunctionLogRedirect(System.out, file);
            System.setOut(file);
            return redirect;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the functions' log " + logFile, e);
        }
    }

    @Override
    public void close() {
        System.setOut(original);
        file.close();
    }
}
