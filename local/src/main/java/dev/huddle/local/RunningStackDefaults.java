package dev.huddle.local;

import dev.huddle.local.stack.StackEndpoints;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Lets every command reach the running local stack without copying ports around: an option that names a
 * stack setting (e.g. {@code --jdbc-url} is {@code DB_URL}, {@code --s3-endpoint} is {@code S3_ENDPOINT})
 * defaults to the running stack's value from {@code .local-stack/endpoints.json} (see
 * {@link StackEndpoints}). Precedence: the option on the command line, then the environment variable, then
 * the running stack, then the option's own default.
 */
final class RunningStackDefaults implements IDefaultValueProvider {
    /** Option names used by the commands, and the Config setting each one stands for. */
    static final Map<String, String> SETTING_OF_OPTION = Map.of(
            "--jdbc-url", "DB_URL",
            "--db-user", "DB_USER",
            "--db-password", "DB_PASSWORD",
            "--s3-endpoint", "S3_ENDPOINT",
            "--bucket", "SNAPSHOT_BUCKET",
            "--sqs-endpoint", "SQS_ENDPOINT",
            "--queue-url", "ROLLUP_QUEUE_URL",
            "--dlq-url", "ROLLUP_DLQ_URL");

    private final Map<String, String> environment;
    private final Function<Path, Optional<StackEndpoints>> runningStack;
    private final Path stateDirectory;

    RunningStackDefaults(Map<String, String> environment, Path stateDirectory) {
        this(environment, stateDirectory, StackEndpoints::readRunning);
    }

    RunningStackDefaults(Map<String, String> environment, Path stateDirectory,
            Function<Path, Optional<StackEndpoints>> runningStack) {
        this.environment = Map.copyOf(environment);
        this.stateDirectory = stateDirectory;
        this.runningStack = runningStack;
    }

    @Override
    public String defaultValue(ArgSpec argument) {
        if (!(argument instanceof OptionSpec option)) {
            return null;
        }
        String setting = SETTING_OF_OPTION.get(option.longestName());
        if (setting == null || isSet(environment.get(setting))) {
            // Not a stack setting, or the environment decides: the option's own default reads it.
            return null;
        }
        return runningStack.apply(stateDirectory).map(endpoints -> endpoints.settings().get(setting)).orElse(null);
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
