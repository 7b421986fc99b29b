package dev.huddle.client;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The other process of {@link FolderLockTest}. Arguments: {@code queueDirectory hold|try}. {@code hold} opens a
 * client, prints {@code locked} and keeps it until its standard input ends; {@code try} prints {@code locked}
 * or {@code refused: <message>} and exits.
 */
public final class FolderLockChild {
    private FolderLockChild() {
    }

    public static void main(String[] args) throws IOException {
        HuddleClient client;
        try {
            client = HuddleClient.builder(URI.create("http://127.0.0.1:9")).tokenSupplier(() -> "token")
                    .queueDirectory(Path.of(args[0])).minInterval(Duration.ofHours(1))
                    .maxInterval(Duration.ofHours(1)).build();
        } catch (IllegalStateException refused) {
            System.out.println("refused: " + refused.getMessage());
            return;
        }
        System.out.println("locked");
        System.out.flush();
        if (args[1].equals("hold")) {
            while (System.in.read() >= 0) {
                // until the parent closes our standard input
            }
        }
        client.close(Duration.ZERO);
    }
}
