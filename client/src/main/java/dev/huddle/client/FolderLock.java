package dev.huddle.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One client per queue folder: an operating-system lock on {@code <folder>/lock}, held until {@link #close()}.
 * Two clients appending to one folder would interleave their records and move each other's pointer.
 *
 * <p>Folders locked in this JVM are also kept in a set and checked <em>before</em> the lock file is opened:
 * on Linux a process's file locks are per process, and closing any channel of the file (as a second client
 * that found it locked would) releases them all ({@link FileLock}'s "platform dependencies"). The OS lock
 * covers other processes; it is released by the OS when the process dies, {@code kill -9} included.
 */
final class FolderLock implements AutoCloseable {
    static final String LOCK_FILE = "lock";
    private static final Set<Path> HELD_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

    private final Path folder;
    private final FileChannel channel;

    private FolderLock(Path folder, FileChannel channel) {
        this.folder = folder;
        this.channel = channel;
    }

    /**
     * Locks {@code folder} (created if missing).
     *
     * @throws IllegalStateException when another client, in this process or another, holds it
     */
    static FolderLock acquire(Path folder) {
        Path key;
        try {
            Files.createDirectories(folder);
            key = folder.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the queue folder " + folder, e);
        }
        if (!HELD_IN_THIS_JVM.add(key)) {
            throw inUse(folder, "by another HuddleClient in this process");
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(key.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (channel.tryLock() == null) {
                throw inUse(folder, "by another process");
            }
            return new FolderLock(key, channel);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            HELD_IN_THIS_JVM.remove(key);
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot lock the queue folder " + folder, io);
            }
            throw (RuntimeException) e;
        }
    }

    /** Releases the lock (closing the channel releases it); the lock file stays for the next client. */
    @Override
    public void close() {
        closeQuietly(channel);
        HELD_IN_THIS_JVM.remove(folder);
    }

    private static IllegalStateException inUse(Path folder, String byWhom) {
        return new IllegalStateException("the queue folder " + folder + " is in use " + byWhom
                + ": one HuddleClient per queueDirectory at a time");
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing releases the lock even when the close reports an error.
        }
    }
}
