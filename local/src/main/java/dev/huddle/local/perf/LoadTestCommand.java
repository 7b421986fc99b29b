package dev.huddle.local.perf;

import dev.huddle.ops.target.StackDatabaseOptions;
import dev.huddle.perf.loadtest.LoadTarget;
import dev.huddle.perf.loadtest.LoadTest;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code loadtest}: the perf module's load test ({@link LoadTest}: its options, engine and report) against
 * the emulated stack. This class adds only what needs local/: the options that find a running stack and the
 * stack itself ({@link StackLoadTarget}).
 */
@Command(name = "loadtest", mixinStandardHelpOptions = true)
public final class LoadTestCommand extends LoadTest {
    @Mixin
    StackDatabaseOptions targetDatabase;

    public LoadTestCommand() {
        this(System.out, System.err);
    }

    LoadTestCommand(PrintStream out, PrintStream progress) {
        super(out, progress);
    }

    @Override
    protected LoadTarget.Factory targets() {
        return StackLoadTarget.factory(targetDatabase);
    }
}
