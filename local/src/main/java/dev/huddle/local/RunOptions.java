package dev.huddle.local;

import dev.huddle.local.gateway.GatewaySettings;
import dev.huddle.local.gateway.LocalFunction;
import picocli.CommandLine.Option;

/** Options of starting the stack, shared by {@code run} and the tool without a command. */
public final class RunOptions {
    @Option(names = "--port", paramLabel = "N", defaultValue = "${env:PORT:-3000}",
            description = "TCP port of the API (default: $PORT or 3000).")
    int port;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Interface to listen on (default: ${DEFAULT-VALUE}, this machine only).")
    String host;

    @Option(names = "--fresh",
            description = "Wipe the embedded database (.local-stack/postgres) before starting.")
    boolean fresh;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "" + GatewaySettings.DEFAULT_THREADS,
            description = "Worker threads of the HTTP front, i.e. the most concurrent function invocations"
                    + " (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "" + LocalFunction.DEFAULT_MAX_ENVIRONMENTS,
            description = "Execution environments per function, like reserved concurrency: each holds its own"
                    + " DB connection and DynamoDB client; requests beyond wait (default: ${DEFAULT-VALUE}).")
    int concurrency;
}
