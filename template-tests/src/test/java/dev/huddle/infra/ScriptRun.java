package dev.huddle.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One run of a repository script or tool as a process, from the repository root: exit code and output. */
record ScriptRun(int exitCode, String output) {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** Generous: a synth on a loaded 2-core machine took about a minute. */
    private static final long DEADLINE_MINUTES = 10;

    static ScriptRun bash(Map<String, String> environment, String script, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", script));
        command.addAll(List.of(args));
        return run(environment, command);
    }

    /** Runs the command with stdout and stderr in one file (no pipe to drain), within the deadline. */
    static ScriptRun run(Map<String, String> environment, List<String> command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("script-run", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(DEADLINE_MINUTES, TimeUnit.MINUTES)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError(command + " did not end within " + DEADLINE_MINUTES + " minutes; output:\n"
                        + Files.readString(log));
            }
            return new ScriptRun(process.exitValue(), Files.readString(log));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
