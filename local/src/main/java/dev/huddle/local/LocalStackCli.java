package dev.huddle.local;

import dev.huddle.local.perf.ColdStartCommand;
import dev.huddle.local.perf.LoadTestCommand;
import dev.huddle.ops.BackfillCommand;
import dev.huddle.ops.ReplayCommand;
import dev.huddle.ops.RetentionCommand;
import dev.huddle.ops.target.StateDirectory;
import dev.huddle.perf.bench.BenchCommand;
import dev.huddle.perf.retention.RetentionBenchCommand;
import dev.huddle.perf.rollupbench.RollupBenchCommand;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Mixin;
import picocli.CommandLine;

/**
 * {@code java -jar local/target/local-stack.jar [command]}: the one tool for local work.
 *
 * <p>A new command is a picocli class with {@code mixinStandardHelpOptions = true} added to the
 * {@code subcommands} list below: that one line is all the wiring. Exit codes: 0 success, 1 failure
 * (the message is printed, no stack trace), 2 wrong usage.
 */
@Command(name = "local-stack", mixinStandardHelpOptions = true, version = "huddle-ingest local stack 0.1.0",
        description = "Runs huddle-ingest on this machine and helps work with it. Without a command: run.",
        subcommands = {
            RunCommand.class,
            TokenCommand.class,
            BenchCommand.class,
            RetentionCommand.class,
            BackfillCommand.class,
            ReplayCommand.class,
            RollupBenchCommand.class,
            RetentionBenchCommand.class,
            LoadTestCommand.class,
            ColdStartCommand.class,
            HelpCommand.class,
        })
public final class LocalStackCli implements Callable<Integer> {
    @Mixin
    RunOptions run;

    @Mixin
    StateDirectory stateDirectory;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the tool as {@code main} does, without exiting the JVM (for tests). */
    static int execute(String... args) {
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        return new CommandLine(new LocalStackCli())
                .setExecutionExceptionHandler(LocalStackCli::reportFailure);
    }

    /** Without a command the tool runs the stack, as {@code run} does. */
    @Override
    public Integer call() throws InterruptedException {
        return RunCommand.start(run, stateDirectory);
    }

    /** A failing command prints what went wrong, not a stack trace, and exits with 1. */
    private static int reportFailure(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
        PrintWriter err = command.getErr();
        err.println(command.getColorScheme().errorText("error: " + messageOf(e)));
        err.flush();
        return ExitCode.SOFTWARE;
    }

    private static String messageOf(Throwable e) {
        StringBuilder message = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            // Wrappers often repeat their cause's message; say each reason once.
            if (cause.getMessage() != null && !message.toString().contains(cause.getMessage())) {
                message.append(": ").append(cause.getMessage());
            }
        }
        return message.toString();
    }
}
