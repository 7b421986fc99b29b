package dev.huddle.local.perf;

import dev.huddle.perf.loadtest.ColdStart;
import dev.huddle.perf.loadtest.LoadTarget;
import picocli.CommandLine.Command;

/** {@code coldstart}: the perf module's cold-start measurement ({@link ColdStart}) against an own emulated stack. */
@Command(name = "coldstart", mixinStandardHelpOptions = true)
public final class ColdStartCommand extends ColdStart {
    public ColdStartCommand() {
        super(System.out);
    }

    @Override
    protected LoadTarget.Factory targets() {
        return StackLoadTarget.factory(null);
    }
}
