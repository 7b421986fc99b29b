package dev.huddle.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the map of the repository true (issue 11): the README's Layout table names every module and every
 * main package, and nothing that is gone; a main source file over 300 lines says why; test methods follow
 * the one naming convention. It reads the files git tracks, so build output and node_modules never count.
 */
class RepositoryMapTest {
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
    /** A Layout row's first cell: {@code `functions/`} or {@code `dev.huddle.ingest`}. */
    private static final Pattern LAYOUT_ROW = Pattern.compile("^\\| `([^`]+)` \\|", Pattern.MULTILINE);
    private static final Pattern TEST_METHOD = Pattern.compile(
            "@(?:Test|ParameterizedTest|Property|RepeatedTest)\\b[^;{]*?\\bvoid\\s+([A-Za-z0-9_]+)\\s*\\(", Pattern.DOTALL);
    private static final int LONG_FILE_LINES = 300;

    private static List<String> trackedFiles;

    @BeforeAll
    static void listTrackedFiles() throws Exception {
        ScriptRun files = ScriptRun.run(Map.of(), List.of("git", "ls-files"));
        assertThat(files.exitCode()).as("git ls-files: %s", files.output()).isZero();
        trackedFiles = files.output().lines().toList();
    }

    @Test
    void theLayoutTable_namesEveryModuleAndMainPackage_andNothingThatIsGone() {
        Set<String> rows = layoutRows();
        Set<String> modules = new TreeSet<>();
        Matcher module = MODULE.matcher(read("pom.xml"));
        while (module.find()) {
            modules.add(module.group(1) + "/");
        }
        Set<String> packages = new TreeSet<>();
        for (String file : trackedFiles) {
            int main = file.indexOf("/src/main/java/");
            if (main > 0 && file.endsWith(".java") && !file.endsWith("package-info.java")) {
                String relative = file.substring(main + "/src/main/java/".length());
                packages.add(relative.substring(0, relative.lastIndexOf('/')).replace('/', '.'));
            }
        }

        assertThat(rows).as("README Layout rows").containsAll(modules).containsAll(packages);
        for (String row : rows) {
            if (row.startsWith("dev.huddle")) {
                assertThat(packages).as("package named in the Layout table").contains(row);
            } else {
                assertThat(ScriptRun.ROOT.resolve(row)).as("path named in the Layout table").exists();
            }
        }
    }

    @Test
    void everyMainSourceFileOver300Lines_saysWhy() {
        List<String> unexplained = trackedFiles.stream()
                .filter(file -> file.contains("/src/main/") && file.endsWith(".java"))
                .filter(file -> read(file).lines().count() > LONG_FILE_LINES)
                .filter(file -> !read(file).contains("Over " + LONG_FILE_LINES + " lines"))
                .toList();

        assertThat(unexplained).as("main source files over %d lines without an \"Over %d lines: why\" comment",
                LONG_FILE_LINES, LONG_FILE_LINES).isEmpty();
    }

    /** One convention: a behaviour sentence in the third person, clauses joined by "_" (see README, Tests). */
    @Test
    void testMethodsReadAsBehaviourSentences_notShouldPhrases() {
        List<String> shouldNames = trackedFiles.stream()
                .filter(file -> file.contains("/src/test/") && file.endsWith(".java"))
                .flatMap(file -> TEST_METHOD.matcher(read(file)).results()
                        .map(match -> match.group(1))
                        .filter(name -> name.startsWith("should"))
                        .map(name -> file + ": " + name))
                .toList();

        assertThat(shouldNames).isEmpty();
    }

    private static Set<String> layoutRows() {
        String readme = read("README.md");
        int start = readme.indexOf("\n## Layout");
        assertThat(start).as("README has a Layout section").isPositive();
        int end = readme.indexOf("\n## ", start + 1);
        String layout = readme.substring(start, end < 0 ? readme.length() : end);
        Set<String> rows = new TreeSet<>();
        Matcher row = LAYOUT_ROW.matcher(layout);
        while (row.find()) {
            rows.add(row.group(1));
        }
        return rows;
    }

    private static String read(String file) {
        try {
            return Files.readString(ScriptRun.ROOT.resolve(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
