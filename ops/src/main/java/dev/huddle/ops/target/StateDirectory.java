package dev.huddle.ops.target;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The one way every command finds the stack it works against: {@code --state-dir} (default
 * {@code .local-stack}). The stack running from that directory (its {@code endpoints.json}, see
 * {@link StackEndpoints}) gives every address (database, DynamoDB, SQS, S3), then the environment, then
 * nothing: a command that needs an address nobody gave fails naming the directory and how to start a
 * stack there, instead of trying a default address (issue 15: a load test that signed its tokens with one
 * stack's key and counted rows at 127.0.0.1:5432 lost its reconciliation). A command's own per-address
 * options ({@code --jdbc-url}, {@code --sqs-endpoint}, ...) are passed as {@code overrides} and win over both.
 */
public final class StateDirectory {
    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = ".local-stack",
            description = "The stack's state directory: its signing key, database and, while it runs, its"
                    + " endpoints.json (default: ${DEFAULT-VALUE} in the working directory).")
    Path directory = Path.of(".local-stack");

    public StateDirectory() {
    }

    /** For code that already knows the directory (tests, the load test's own stack). */
    public static StateDirectory of(Path directory) {
        StateDirectory state = new StateDirectory();
        state.directory = directory;
        return state;
    }

    public Path path() {
        return directory.toAbsolutePath();
    }

    /** Where the stack's embedded PostgreSQL keeps its data (unused when the stack has an external database). */
    public Path postgresData() {
        return path().resolve("postgres");
    }

    /** The stack running from this directory now, if any. */
    public Optional<StackEndpoints> runningStack() {
        return StackEndpoints.readRunning(path());
    }

    /**
     * The settings (by name as the functions read them, see {@link dev.huddle.common.Settings}) for a command: {@code overrides} (null values
     * ignored), else the running stack's, else {@code environment}.
     *
     * @throws IllegalStateException a setting in {@code required} is in none of them; the message names
     *     the directory and says how to start a stack there
     */
    public Map<String, String> stackSettings(Map<String, String> environment, Map<String, String> overrides,
            List<String> required) {
        Map<String, String> settings = new HashMap<>();
        putSet(settings, environment);
        Optional<StackEndpoints> running = runningStack();
        running.ifPresent(endpoints -> putSet(settings, endpoints.settings()));
        putSet(settings, overrides);
        List<String> missing = required.stream().filter(name -> !settings.containsKey(name)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException((running.isEmpty() ? noRunningStack()
                    : "the stack running in " + path() + " does not provide " + String.join(", ", missing))
                    + "; or set " + String.join(", ", missing));
        }
        return settings;
    }

    /** Why a command finds no stack here, and how to start one (the signing key's check adds its detail). */
    public String noRunningStack() {
        return "no running local stack in " + path() + ": start one with `java -jar local/target/local-stack.jar run"
                + " --state-dir " + path() + "` (or pass that stack's --state-dir)";
    }

    private static void putSet(Map<String, String> target, Map<String, String> source) {
        source.forEach((name, value) -> {
            if (value != null && !value.isBlank()) {
                target.put(name, value);
            }
        });
    }
}
