package dev.huddle.local;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --state-dir} option shared by commands that use the stack's key and data. */
public final class StateDirectory {
    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = ".local-stack",
            description = "Where the stack keeps its signing key and database (default: ${DEFAULT-VALUE} in the"
                    + " working directory).")
    Path directory;

    public Path path() {
        return directory.toAbsolutePath();
    }
}
