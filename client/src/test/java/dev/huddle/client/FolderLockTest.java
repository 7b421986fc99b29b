package dev.huddle.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One client per queue folder: a second one, in this JVM or another process, fails fast naming the folder. */
class FolderLockTest {
    /** Generous: a child JVM starts slowly on a loaded machine. */
    private static final long DEADLINE_SECONDS = 60;
    @TempDir
    Path directory;

    @Test
    void aSecondClientInThisProcess_failsFast_namingTheFolder_andTheFirstKeepsWorking() {
        HuddleClient first = client();
        try {
            assertThatThrownBy(this::client)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("the queue folder " + directory + " is in use by another HuddleClient in this "
                            + "process: one HuddleClient per queueDirectory at a time");
            assertThat(first.trackAnalytics(AnalyticsEvent.of("lesson_opened", Instant.now()))).isTrue();
        } finally {
            first.close(Duration.ZERO);
        }

        HuddleClient next = client();
        assertThat(next.getQueueStats().analyticsDepth()).as("the folder is free once the first closed").isOne();
        next.close(Duration.ZERO);
    }

    @Test
    void aClientInAnotherProcess_holdsTheFolder_untilItEnds() throws Exception {
        Process child = child("hold");
        try {
            assertThat(firstLine(child)).isEqualTo("locked");

            assertThatThrownBy(this::client)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("the queue folder " + directory + " is in use by another process: one HuddleClient "
                            + "per queueDirectory at a time");
        } finally {
            child.getOutputStream().close();
            assertThat(child.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
        }
        client().close(Duration.ZERO);
    }

    @Test
    void aRefusedSecondClientInThisProcess_doesNotReleaseTheLock_forOtherProcesses() throws Exception {
        HuddleClient first = client();
        try {
            assertThatThrownBy(this::client).isInstanceOf(IllegalStateException.class);

            Process child = child("try");
            assertThat(firstLine(child)).startsWith("refused: the queue folder").endsWith("in use by another "
                    + "process: one HuddleClient per queueDirectory at a time");
            assertThat(child.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
        } finally {
            first.close(Duration.ZERO);
        }
    }

    private HuddleClient client() {
        return HuddleClient.builder(URI.create("http://127.0.0.1:9")).tokenSupplier(() -> "token")
                .queueDirectory(directory).fsyncEachEvent(false).minInterval(Duration.ofHours(1))
                .maxInterval(Duration.ofHours(1)).build();
    }

    private Process child(String mode) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                FolderLockChild.class.getName(), directory.toString(), mode)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** The child's first line (null when it ended without one), within the deadline. */
    private static String firstLine(Process child) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        return CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).get(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }
}
