package dev.huddle.local.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherTest {
    @TempDir
    Path dir;

    @Test
    void readsTheFeatureReleaseOfModernAndLegacyVersionStrings() {
        assertThat(Launcher.feature("21.0.5")).isEqualTo(21);
        assertThat(Launcher.feature("25")).isEqualTo(25);
        assertThat(Launcher.feature("17.0.13+11")).isEqualTo(17);
        assertThat(Launcher.feature("1.8.0_402")).isEqualTo(8);
        assertThat(Launcher.feature("not-a-version")).isZero();
    }

    @Test
    void picksTheFirstHomeWithJava21OrNewerAndSkipsOlderOnes() throws IOException {
        Path jdk17 = fakeJdk("jdk-17", "17.0.13");
        Path jdk25 = fakeJdk("jdk-25", "25.0.1");

        assertThat(Launcher.findJava(List.of(jdk17, jdk25))).contains(jdk25.resolve("bin/java"));
    }

    @Test
    void findsTheMacOsLayoutUnderContentsHome() throws IOException {
        Path bundle = dir.resolve("temurin-21.jdk");
        Path home = bundle.resolve("Contents/Home");
        writeJdk(home, "21.0.5");

        assertThat(Launcher.findJava(List.of(bundle))).contains(home.resolve("bin/java"));
    }

    @Test
    void findsNothingWhenNoHomeIsNewEnoughOrRunnable() throws IOException {
        Path jdk17 = fakeJdk("jdk-17", "17.0.13");
        Path noJava = dir.resolve("broken");
        Files.createDirectories(noJava);
        Files.writeString(noJava.resolve("release"), "JAVA_VERSION=\"21.0.5\"\n");

        assertThat(Launcher.findJava(List.of(jdk17, noJava, dir.resolve("missing")))).isEmpty();
    }

    private Path fakeJdk(String name, String version) throws IOException {
        Path home = dir.resolve(name);
        writeJdk(home, version);
        return home;
    }

    private static void writeJdk(Path home, String version) throws IOException {
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\n");
        Path java = home.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
