package dev.huddle.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationsHashTest {
    @TempDir
    Path dir;

    @Test
    void changesWhenAMigrationChangesIsAddedOrIsRenamed() throws IOException {
        Files.writeString(dir.resolve("V1__core.sql"), "create table a (id int);");
        String first = MigrationsHash.of(dir);
        assertThat(MigrationsHash.of(dir)).isEqualTo(first);

        Files.writeString(dir.resolve("V1__core.sql"), "create table a (id bigint);");
        String edited = MigrationsHash.of(dir);
        assertThat(edited).isNotEqualTo(first);

        Files.writeString(dir.resolve("R__api.sql"), "select 1;");
        String added = MigrationsHash.of(dir);
        assertThat(added).isNotEqualTo(edited);

        Files.move(dir.resolve("R__api.sql"), dir.resolve("R__api_2.sql"));
        assertThat(MigrationsHash.of(dir)).isNotEqualTo(added);
    }

    @Test
    void ignoresFilesThatAreNotMigrations() throws IOException {
        Files.writeString(dir.resolve("V1__core.sql"), "create table a (id int);");
        String before = MigrationsHash.of(dir);
        Files.writeString(dir.resolve("notes.txt"), "not a migration");
        assertThat(MigrationsHash.of(dir)).isEqualTo(before);
    }

    @Test
    void refusesAFolderWithoutMigrations() {
        assertThatThrownBy(() -> MigrationsHash.of(dir)).hasMessageStartingWith("no .sql files in ");
        assertThatThrownBy(() -> MigrationsHash.of(dir.resolve("missing"))).hasMessageStartingWith("no migrations directory: ");
    }

    @Test
    void theRepositoryMigrationsHashToA64CharacterHexDigest() {
        assertThat(Synth.MIGRATIONS_HASH).matches("[0-9a-f]{64}");
    }
}
