package dev.huddle.local;

import dev.huddle.local.stack.StackEndpoints;
import java.lang.reflect.AnnotatedElement;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Option;

/**
 * Lets every command reach the running local stack without copying ports around: an option whose default
 * reads one of the stack's settings from the environment ({@code defaultValue = "${env:DB_URL:-...}"},
 * {@code "${env:SQS_ENDPOINT}"}) gets, when that variable is not set, the running stack's value from
 * {@code .local-stack/endpoints.json} (see {@link StackEndpoints}). Precedence: the command line, the
 * environment variable, the running stack, the rest of the option's default.
 *
 * <p>Options without such a default are left alone: {@code bench --jdbc-url} means "an existing database
 * instead of an embedded one", and a benchmark must not fill the running stack's database by accident.
 */
final class RunningStackDefaults implements IDefaultValueProvider {
    private static final Pattern ENVIRONMENT_VARIABLE = Pattern.compile("\\$\\{env:([A-Za-z0-9_]+)");

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
        Optional<String> setting = environmentVariableOfDefault(argument);
        if (setting.isEmpty() || isSet(environment.get(setting.get()))) {
            // Not a setting, or the environment decides: the option's own default reads it.
            return null;
        }
        return runningStack.apply(stateDirectory)
                .map(endpoints -> endpoints.settings().get(setting.get()))
                .orElse(null);
    }

    /** The variable named in the option's annotated default, as written (picocli only hands out the result). */
    private static Optional<String> environmentVariableOfDefault(ArgSpec argument) {
        if (!(argument.userObject() instanceof AnnotatedElement element)) {
            return Optional.empty();
        }
        Option option = element.getAnnotation(Option.class);
        if (option == null) {
            return Optional.empty();
        }
        Matcher variable = ENVIRONMENT_VARIABLE.matcher(option.defaultValue());
        return variable.find() ? Optional.of(variable.group(1)) : Optional.empty();
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
