package dev.huddle.local.stack;

import dev.huddle.local.StartupProgress;
import dev.huddle.local.jwt.SigningKeyStore;
import dev.huddle.local.jwt.TokenIssuer;
import dev.huddle.ops.target.StackEndpoints;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One whole local stack per test JVM (embedded PostgreSQL, dynalite, ElasticMQ, S3Proxy, every function),
 * started by the first test class that asks and stopped when the JVM ends: the end-to-end classes share
 * it, each with its own learners, instead of starting a stack each.
 */
public final class SharedTestStack {
    private static EmulatedStack stack;
    private static TokenIssuer tokens;
    private static Path stateDirectory;

    private SharedTestStack() {
    }

    public static synchronized EmulatedStack stack() {
        if (stack == null) {
            Path stateDirectory = temporaryDirectory("local-stack-test");
            StartupProgress progress = new StartupProgress(new PrintStream(OutputStream.nullOutputStream()),
                    EmulatedStack.STEPS);
            // 32 environments per function: the front sheds a request that finds every environment busy for
            // its admission wait (503, GatewaySettings), and the tests' bursts of 20 must reach the functions.
            stack = EmulatedStack.start(new EmulatedStackOptions(stateDirectory, "127.0.0.1", 0, 64,
                    32, false, BackgroundSettings.defaults(),
                    // The production budget (300 ms) is for a warm client on AWS; on a loaded 2-core test
                    // machine the first calls of cold clients can exceed it, and the limiter then fails open.
                    Map.of("DYNAMODB_TIMEOUT_MS", "3000")),
                    progress);
            if (progress.stepsRun() != EmulatedStack.STEPS) {
                // `run` prints "[n/STEPS]" per step: a step added without its count reads "[9/8]".
                throw new IllegalStateException("the stack started in " + progress.stepsRun()
                        + " steps, EmulatedStack.STEPS says " + EmulatedStack.STEPS);
            }
            tokens = new TokenIssuer(SigningKeyStore.loadOrCreate(stack.jwt().keyFile()), stack.jwt());
            // As `run` does: commands pointed at this state directory find the stack through its endpoints.
            new StackEndpoints(ProcessHandle.current().pid(), stack.baseUrl(), stack.providedSettings())
                    .write(stateDirectory);
            SharedTestStack.stateDirectory = stateDirectory;
            EmulatedStack started = stack;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "test-stack-stop"));
        }
        return stack;
    }

    /** The stack's state directory, with its endpoints.json. */
    public static synchronized Path stateDirectory() {
        stack();
        return stateDirectory;
    }

    public static synchronized TokenIssuer tokens() {
        stack();
        return tokens;
    }

    /** A fresh state directory for a test stack, removed when the JVM ends (if empty by then). */
    public static Path temporaryDirectory(String prefix) {
        try {
            Path directory = Files.createTempDirectory(prefix);
            directory.toFile().deleteOnExit();
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
