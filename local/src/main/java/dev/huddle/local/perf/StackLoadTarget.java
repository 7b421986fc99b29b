package dev.huddle.local.perf;

import dev.huddle.ops.target.StateDirectory;
import dev.huddle.local.jwt.JwtSettings;
import dev.huddle.local.jwt.SigningKeyStore;
import dev.huddle.local.jwt.TokenIssuer;
import dev.huddle.ops.target.StackDatabaseOptions;
import dev.huddle.local.stack.OutageSwitch;
import dev.huddle.ops.target.StackEndpoints;
import dev.huddle.perf.loadtest.LoadTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * The stack a load test runs against: its own, started as a child process ({@code run}) in a fresh
 * temporary state directory (removed afterwards), or a running one given by URL, found the one way
 * ({@link StateDirectory}): its signing key and its database come from --state-dir.
 *
 * <p>The own stack is a separate JVM so that the generator's garbage collection and plan building never
 * pause the server it measures (issue 9); the two talk over HTTP and the state directory only.
 *
 * <p>The perf module's engine sees it as a {@link LoadTarget}: this class is the one place that knows how
 * the emulated stack is started and found, so perf/ never depends on local/.
 */
final class StackLoadTarget implements LoadTarget {
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private final URI baseUrl;
    private final TokenIssuer tokens;
    private final DataSource database;
    private final Map<String, String> settings;
    private final Process ownStack;
    private final Path ownStateDirectory;
    /** The own stack's CPU group, null for a running stack. */
    private final SharedCpuGroup.Entered cpuGroup;

    private StackLoadTarget(URI baseUrl, TokenIssuer tokens, Map<String, String> settings, Process ownStack,
            Path ownStateDirectory, SharedCpuGroup.Entered cpuGroup) {
        this.baseUrl = baseUrl;
        this.tokens = tokens;
        this.settings = Map.copyOf(settings);
        this.database = StackDatabaseOptions.dataSource(settings);
        this.ownStack = ownStack;
        this.ownStateDirectory = ownStateDirectory;
        this.cpuGroup = cpuGroup;
    }

    /**
     * Starts a stack of its own in a child JVM on free ports and waits until it is ready.
     *
     * @param runOptions extra options of {@code run} (e.g. {@code --db-latency 200ms})
     * @param log where the stack's output goes (the functions write one line per request)
     */
    static StackLoadTarget ownStack(int concurrency, List<String> runOptions, Map<String, String> environment, Path log) {
        Path stateDirectory;
        try {
            stateDirectory = Files.createTempDirectory("huddle-loadtest-");
            Files.createDirectories(log.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a state directory", e);
        }
        Process child = null;
        StackPriorities priorities = StackPriorities.forThisUser();
        // Before the child starts, so that it and the servers it starts are born in the group.
        SharedCpuGroup.Entered cpuGroup = priorities == StackPriorities.FRONT_ABOVE_THE_FUNCTIONS
                ? SharedCpuGroup.enter() : new SharedCpuGroup.Entered(Optional.empty(), "");
        try {
            List<String> command = new ArrayList<>(priorities.launcher());
            command.add(javaExecutable());
            command.addAll(priorities.jvmOptions());
            command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                    "dev.huddle.local.LocalStackCli", "run", "--state-dir", stateDirectory.toString(), "--port", "0",
                    "--fresh", "--concurrency", Integer.toString(concurrency)));
            command.addAll(runOptions);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            try {
                child = builder.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the stack's JVM", e);
            }
            StackEndpoints endpoints = awaitReady(child, stateDirectory, log);
            StateDirectory state = StateDirectory.of(stateDirectory);
            JwtSettings jwt = JwtSettings.ofStack(state, environment);
            return new StackLoadTarget(URI.create(endpoints.apiUrl()), new TokenIssuer(SigningKeyStore.loadOrCreate(
                    jwt.keyFile()), jwt), state.stackSettings(environment, Map.of(), List.of("DB_URL")), child,
                    stateDirectory, cpuGroup);
        } catch (RuntimeException e) {
            if (child != null) {
                stop(child);
            }
            cpuGroup.group().ifPresent(SharedCpuGroup::close);
            deleteRecursively(stateDirectory);
            throw e;
        }
    }

    /** A running stack: tokens signed with the key in its state directory, rows counted in its database. */
    static StackLoadTarget running(URI baseUrl, StackDatabaseOptions database, Map<String, String> environment) {
        JwtSettings jwt = JwtSettings.ofStack(database.stateDirectory(), environment);
        return new StackLoadTarget(baseUrl, new TokenIssuer(SigningKeyStore.loadOrCreate(jwt.keyFile()), jwt),
                database.settings(environment), null, null, null);
    }

    private static StackEndpoints awaitReady(Process child, Path stateDirectory, Path log) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<StackEndpoints> ready = StackEndpoints.readRunning(stateDirectory)
                    .filter(endpoints -> endpoints.pid() == child.pid());
            if (ready.isPresent()) {
                return ready.get();
            }
            try {
                if (child.waitFor(200, TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("the load test's stack exited with " + child.exitValue()
                            + " before it was ready; its output is in " + log.toAbsolutePath());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the stack started", e);
            }
        }
        throw new IllegalStateException("the load test's stack was not ready within " + START_TIMEOUT.toSeconds()
                + " s; its output is in " + log.toAbsolutePath());
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * The targets of a command: an own stack, or the one running at a URL found through {@code database}
     * (its --state-dir, --jdbc-url, ...; null for a command that only starts its own).
     */
    static LoadTarget.Factory factory(StackDatabaseOptions database) {
        Map<String, String> environment = System.getenv();
        return new LoadTarget.Factory() {
            @Override
            public LoadTarget ownStack(int concurrency, List<String> runOptions, Path log) {
                return StackLoadTarget.ownStack(concurrency, runOptions, environment, log);
            }

            @Override
            public LoadTarget running(URI baseUrl) {
                return StackLoadTarget.running(baseUrl, database, environment);
            }
        };
    }

    @Override
    public URI baseUrl() {
        return baseUrl;
    }

    @Override
    public TokenSigner tokens() {
        return (userId, ttl, now) -> tokens.issue(userId, ttl, List.of(), now);
    }

    @Override
    public DataSource database() {
        return database;
    }

    /** The own stack runs with a database proxy that its state directory's outage switch controls. */
    @Override
    public Optional<Outage> outage() {
        if (ownStack == null) {
            return Optional.empty();
        }
        OutageSwitch outage = new OutageSwitch(ownStateDirectory);
        return Optional.of(new Outage() {
            @Override
            public void start() {
                outage.start();
            }

            @Override
            public void end() {
                outage.end();
            }
        });
    }

    @Override
    public Map<String, String> settings() {
        return settings;
    }

    /**
     * The own stack's JVM, its dynalite child, and its embedded PostgreSQL: the postmaster is not the JVM's
     * child (zonky's {@code pg_ctl} daemonises it), so it is found through the {@code postmaster.pid} of its
     * data directory in the state directory, and its backends are its children.
     */
    @Override
    public Map<String, Supplier<Stream<ProcessHandle>>> processesByRole() {
        if (ownStack == null) {
            return Map.of();
        }
        Path postmasterPid = StateDirectory.of(ownStateDirectory).postgresData().resolve("postmaster.pid");
        Map<String, Supplier<Stream<ProcessHandle>>> roles = new LinkedHashMap<>();
        roles.put(STACK_JVM, () -> Stream.of(ownStack.toHandle()));
        roles.put(POSTGRES, () -> postmaster(postmasterPid)
                .map(postmaster -> Stream.concat(Stream.of(postmaster), postmaster.descendants()))
                .orElseGet(Stream::empty));
        roles.put(DYNALITE, () -> ownStack.descendants()
                .filter(child -> child.info().command().map(command -> command.endsWith("node")).orElse(false)));
        return roles;
    }

    /** The first line of PostgreSQL's {@code postmaster.pid} is the postmaster's process id. */
    private static Optional<ProcessHandle> postmaster(Path postmasterPid) {
        try (Stream<String> lines = Files.lines(postmasterPid)) {
            return lines.findFirst().map(String::trim).map(Long::parseLong).flatMap(ProcessHandle::of);
        } catch (IOException | RuntimeException notRunning) {
            return Optional.empty();
        }
    }

    @Override
    public String describe() {
        return ownStack == null ? baseUrl + " (running stack)"
                : baseUrl + " (own stack, process " + ownStack.pid() + ", state in " + ownStateDirectory + "; "
                        + StackPriorities.forThisUser().description()
                        + (cpuGroup.description().isEmpty() ? "" : "; " + cpuGroup.description()) + ")";
    }

    @Override
    public void close() {
        if (ownStack != null) {
            stop(ownStack);
            cpuGroup.group().ifPresent(SharedCpuGroup::close);
            deleteRecursively(ownStateDirectory);
        }
    }

    /** SIGTERM: the stack's shutdown hook stops its servers; killed when it takes too long. */
    private static void stop(Process child) {
        child.destroy();
        try {
            if (!child.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                child.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            child.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("cannot remove " + directory + ": " + e.getMessage());
        }
    }
}
