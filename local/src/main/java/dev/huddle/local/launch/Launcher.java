package dev.huddle.local.launch;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The jar's entry point, compiled for Java 11 so that {@code java -jar local-stack.jar} works whatever
 * {@code java} is on the PATH. The stack itself needs Java 21 (the Lambda target): on an older runtime
 * this re-runs the same jar with the same arguments under a JDK 21+ it finds ({@code JAVA_HOME}, then the
 * usual install folders), or says plainly what is missing. On Java 21+ it just calls the CLI.
 */
public final class Launcher {
    static final int REQUIRED_FEATURE = 21;
    private static final String CLI = "dev.huddle.local.LocalStackCli";

    private Launcher() {
    }

    public static void main(String[] args) throws Exception {
        if (Runtime.version().feature() >= REQUIRED_FEATURE) {
            // Reflection, so this class never links against classes compiled for Java 21.
            Class.forName(CLI).getMethod("main", String[].class).invoke(null, (Object) args);
            return;
        }
        Optional<Path> java = findJava(candidateHomes());
        if (java.isEmpty()) {
            System.err.println("local-stack.jar needs Java " + REQUIRED_FEATURE + " or newer; this is Java "
                    + Runtime.version().feature() + " and no JDK " + REQUIRED_FEATURE
                    + "+ was found. Install one and set JAVA_HOME, or run ./local/run, which finds it.");
            System.exit(1);
        }
        System.exit(relaunch(java.get(), args));
    }

    /** Runs this jar under {@code java} with the same JVM options and arguments; returns its exit code. */
    private static int relaunch(Path java, String[] args) throws IOException, InterruptedException, URISyntaxException {
        Path jar = Paths.get(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).inheritIO().start();
        // If this JVM is told to stop, the stack it started stops with it.
        Runtime.getRuntime().addShutdownHook(new Thread(child::destroy));
        return child.waitFor();
    }

    static List<Path> candidateHomes() {
        List<Path> homes = new ArrayList<>();
        String javaHome = System.getenv("JAVA_HOME");
        if (javaHome != null && !javaHome.isBlank()) {
            homes.add(Paths.get(javaHome));
        }
        for (String root : List.of("/usr/lib/jvm", "/opt/java", "/usr/java",
                System.getProperty("user.home") + "/.sdkman/candidates/java",
                "/Library/Java/JavaVirtualMachines")) {
            homes.addAll(childrenNewestFirst(Paths.get(root)));
        }
        return homes;
    }

    /** The java launcher of the first home whose {@code release} file says Java 21 or newer. */
    static Optional<Path> findJava(List<Path> homes) {
        for (Path home : homes) {
            for (Path candidate : List.of(home, home.resolve("Contents/Home"))) {
                Path java = candidate.resolve("bin/java");
                if (Files.isExecutable(java) && releaseFeature(candidate) >= REQUIRED_FEATURE) {
                    return Optional.of(java);
                }
            }
        }
        return Optional.empty();
    }

    /** The feature release from a JDK's {@code release} file (JAVA_VERSION="21.0.5"), or 0 when unknown. */
    static int releaseFeature(Path home) {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release)) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(release)) {
            return lines.filter(line -> line.startsWith("JAVA_VERSION="))
                    .map(line -> line.substring("JAVA_VERSION=".length()).replace("\"", ""))
                    .map(Launcher::feature)
                    .findFirst()
                    .orElse(0);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** "21.0.5" → 21, "1.8.0_402" → 8. */
    static int feature(String version) {
        String[] parts = version.trim().split("[.+_-]");
        try {
            int first = Integer.parseInt(parts[0]);
            return first == 1 && parts.length > 1 ? Integer.parseInt(parts[1]) : first;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static List<Path> childrenNewestFirst(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(root)) {
            List<Path> homes = new ArrayList<>();
            children.filter(Files::isDirectory).forEach(homes::add);
            homes.sort(Comparator.comparingInt((Path home) -> releaseFeature(home)).reversed());
            return homes;
        } catch (IOException e) {
            return List.of();
        }
    }
}
