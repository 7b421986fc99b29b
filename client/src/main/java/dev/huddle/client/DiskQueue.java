package dev.huddle.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * A durable FIFO of events in one folder: append-only segment files plus an acknowledgement pointer.
 *
 * <p>Records are laid out as {@link RecordFormat} says. On open, each segment is read whole: a damaged
 * record in the middle is skipped by resynchronising on the next valid one (counted in
 * {@link #damagedRegionsSkipped()}), and damage with no valid record after it in the last segment (a write
 * torn by a crash) is truncated so new records follow valid ones. The pointer file ({@code ack}: segment
 * number, offset and their CRC32) is replaced atomically after the server gave a verdict on a batch; segments
 * wholly before it are deleted, and when the queue is drained every segment is deleted and a fresh one
 * started (compaction).
 *
 * <p>The pointer is checked against its segment at open: it must not be past the segment's end and must fall
 * on a record boundary. A pointer that fails (a power loss with {@code fsync} off can keep the pointer
 * while losing the segment's last writes) is reset to the start of that segment, so new appends can never land
 * below it and be skipped on the next start; the records it covered are sent again, which is harmless (the
 * server deduplicates by eventId).
 *
 * <p>Durability: with {@code fsync} each append is forced to the device before {@link #append} returns
 * (survives power loss); without it the record is in the operating system's page cache when append
 * returns, which survives the process being killed ({@code kill -9}) but not a machine crash. A copy of
 * the queued events is kept in memory (the queue is bounded), so sending never reads the files.
 *
 * <p>Over 300 lines: the on-disk invariants (segments, acknowledgement pointer, resynchronising past damage)
 * are read and written together, and a reader checks them in one file.
 */
final class DiskQueue implements AutoCloseable {
    static final long SEGMENT_ROLL_BYTES = 4L * 1024 * 1024;
    private static final String ACK_FILE = "ack";
    private static final String SEGMENT_PREFIX = "segment-";
    private static final String SEGMENT_SUFFIX = ".log";

    private final Path directory;
    private final int capacity;
    private final boolean fsync;
    private final Clock clock;
    private final long segmentRollBytes;
    private final Deque<Entry> entries = new ArrayDeque<>();
    private long segmentNumber;
    private FileChannel segment;
    private boolean closed;
    private int damagedRegionsSkipped;

    /** A queued event and where its record ends on disk (the pointer after acknowledging it). */
    private record Entry(QueuedEvent event, long segmentNumber, long endOffset) {
    }

    private DiskQueue(Path directory, int capacity, boolean fsync, Clock clock, long segmentRollBytes) {
        this.directory = directory;
        this.segmentRollBytes = segmentRollBytes;
        this.capacity = capacity;
        this.fsync = fsync;
        this.clock = clock;
    }

    /** Opens (or creates) the queue in {@code directory} and loads what earlier runs left unacknowledged. */
    static DiskQueue open(Path directory, int capacity, boolean fsync, Clock clock) {
        return open(directory, capacity, fsync, clock, SEGMENT_ROLL_BYTES);
    }

    /** As above, starting a new segment file once the current one reaches {@code segmentRollBytes}. */
    static DiskQueue open(Path directory, int capacity, boolean fsync, Clock clock, long segmentRollBytes) {
        DiskQueue queue = new DiskQueue(directory, capacity, fsync, clock, segmentRollBytes);
        try {
            Files.createDirectories(directory);
            queue.load();
        } catch (IOException e) {
            queue.close();
            throw new UncheckedIOException("cannot open the event queue in " + directory, e);
        }
        return queue;
    }

    /**
     * Stores an event durably (see the class comment); false, storing nothing, when the queue already holds
     * {@code capacity} events.
     */
    synchronized boolean append(String eventId, byte[] json) {
        ensureOpen();
        if (entries.size() >= capacity) {
            return false;
        }
        Instant now = clock.instant();
        ByteBuffer record = RecordFormat.encode(json, now.toEpochMilli());
        try {
            if (segment.size() >= segmentRollBytes) {
                startSegment(segmentNumber + 1);
            }
            long start = segment.size();
            try {
                writeFully(record, start);
                if (fsync) {
                    segment.force(false);
                }
            } catch (IOException e) {
                segment.truncate(start);
                throw e;
            }
            entries.addLast(new Entry(new QueuedEvent(eventId, json, now), segmentNumber, segment.size()));
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the event queue in " + directory, e);
        }
    }

    /** Up to {@code max} events from the head, oldest first, without removing them. */
    synchronized List<QueuedEvent> peek(int max) {
        List<QueuedEvent> head = new ArrayList<>(Math.min(max, entries.size()));
        Iterator<Entry> iterator = entries.iterator();
        while (head.size() < max && iterator.hasNext()) {
            head.add(iterator.next().event());
        }
        return head;
    }

    /**
     * Removes the {@code count} events at the head: the server answered for them. Moves the pointer past
     * them, deletes segments it left behind, and starts afresh when the queue is empty. Returns false, doing
     * nothing, once closed (an answer that arrives after {@link #close()}: the next run sends them again).
     */
    synchronized boolean acknowledge(int count) {
        if (closed) {
            return false;
        }
        if (count == 0) {
            return true;
        }
        if (count > entries.size()) {
            throw new IllegalArgumentException("acknowledging " + count + " of " + entries.size() + " events");
        }
        Entry last = null;
        for (int i = 0; i < count; i++) {
            last = entries.removeFirst();
        }
        try {
            if (entries.isEmpty() && last.segmentNumber() == segmentNumber && last.endOffset() == segment.size()) {
                compact();
            } else {
                writePointer(last.segmentNumber(), last.endOffset());
                deleteSegmentsBefore(last.segmentNumber());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update the event queue in " + directory, e);
        }
        return true;
    }

    synchronized int depth() {
        return entries.size();
    }

    /** Damaged stretches of unacknowledged records skipped when the queue was opened (torn tails excluded). */
    synchronized int damagedRegionsSkipped() {
        return damagedRegionsSkipped;
    }

    synchronized Optional<Instant> oldestEnqueuedAt() {
        return entries.isEmpty() ? Optional.empty() : Optional.of(entries.peekFirst().event().enqueuedAt());
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (segment != null) {
            try {
                segment.close();
            } catch (IOException ignored) {
                // Nothing written is lost by a failed close: every append was already written.
            }
        }
    }

    private void load() throws IOException {
        long[] pointer = readPointer();
        List<Long> numbers = segmentNumbers();
        boolean pointerValid = pointer[1] == 0;
        for (long number : numbers) {
            if (number < pointer[0]) {
                Files.deleteIfExists(segmentPath(number));
                continue;
            }
            boolean lastSegment = number == numbers.get(numbers.size() - 1);
            if (number == pointer[0]) {
                pointerValid = readSegment(number, pointer[1], lastSegment);
            } else {
                readSegment(number, 0, lastSegment);
            }
        }
        if (!pointerValid) {
            writePointer(pointer[0], 0);
        }
        long newest = numbers.isEmpty() ? 1 : numbers.get(numbers.size() - 1);
        long current = Math.max(newest, pointer[0]);
        openSegment(current);
    }

    /**
     * Loads the valid records of one segment from {@code pointer} on, or from its start when the pointer is not
     * a record boundary within it (then returns false); truncates a torn tail of the last segment.
     */
    private boolean readSegment(long number, long pointer, boolean lastSegment) throws IOException {
        Path path = segmentPath(number);
        byte[] bytes = Files.readAllBytes(path);
        RecordFormat.Scan scan = RecordFormat.scan(bytes);
        long size = bytes.length;
        // At the end of the segment is a boundary too: the acknowledged records before it may be damaged.
        boolean pointerValid = pointer <= size && (pointer == size || scan.isBoundary(pointer));
        long from = pointerValid ? pointer : 0;
        for (RecordFormat.Record record : scan.records()) {
            if (record.start() >= from) {
                entries.addLast(new Entry(new QueuedEvent(EventCodec.eventId(record.json()), record.json(),
                        Instant.ofEpochMilli(record.enqueuedAtMillis())), number, record.end()));
            }
        }
        damagedRegionsSkipped += (int) scan.damagedStarts().stream().filter(start -> start >= from).count();
        if (scan.tailStart() < size && scan.tailStart() >= from) {
            if (lastSegment) {
                try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
                    channel.truncate(scan.tailStart());
                    channel.force(true);
                }
            } else {
                damagedRegionsSkipped++; // nothing is appended here again: only damage ends a segment early
            }
        }
        return pointerValid;
    }

    private void compact() throws IOException {
        long fresh = segmentNumber + 1;
        // Pointer first: a crash after it and before the deletions leaves only acknowledged data behind.
        writePointer(fresh, 0);
        segment.close();
        deleteSegmentsBefore(fresh);
        openSegment(fresh);
    }

    private void startSegment(long number) throws IOException {
        segment.close();
        openSegment(number);
    }

    private void openSegment(long number) throws IOException {
        segmentNumber = number;
        boolean created = !Files.exists(segmentPath(number));
        segment = FileChannel.open(segmentPath(number), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        if (created && fsync) {
            syncDirectory();
        }
    }

    private void deleteSegmentsBefore(long number) throws IOException {
        for (long existing : segmentNumbers()) {
            if (existing < number) {
                Files.deleteIfExists(segmentPath(existing));
            }
        }
    }

    private void writePointer(long number, long offset) throws IOException {
        Path temporary = directory.resolve(ACK_FILE + ".tmp");
        byte[] content = pointerLine(number, offset).getBytes(StandardCharsets.US_ASCII);
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(content));
            channel.force(true);
        }
        Files.move(temporary, directory.resolve(ACK_FILE), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * {segment number, offset}; {0, 0} (keep every record) when nothing was ever acknowledged or the file is
     * damaged. It is written atomically, so damage comes from something else; its checksum catches a changed
     * digit, which could otherwise name another record boundary and skip unacknowledged records. Keeping
     * every record is safe: a resend is harmless, the server deduplicates by eventId.
     */
    private long[] readPointer() throws IOException {
        try {
            // Latin-1 decodes any byte: a damaged byte fails the checksum below instead of the whole open.
            String[] parts = new String(Files.readAllBytes(directory.resolve(ACK_FILE)), StandardCharsets.ISO_8859_1)
                    .trim().split(" ");
            String pointer = parts[0] + " " + parts[1];
            if (parts.length != 3 || !parts[2].equals(checksum(pointer))) {
                return new long[] {0, 0};
            }
            long[] parsed = {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
            return parsed[0] < 0 || parsed[1] < 0 ? new long[] {0, 0} : parsed;
        } catch (NoSuchFileException e) {
            return new long[] {0, 0};
        } catch (RuntimeException unreadable) {
            return new long[] {0, 0};
        }
    }

    /** The {@code ack} file's content: {@code <segment> <offset> <crc32 of the two, hex>}. */
    static String pointerLine(long number, long offset) {
        String pointer = number + " " + offset;
        return pointer + " " + checksum(pointer) + "\n";
    }

    private static String checksum(String pointer) {
        CRC32 crc = new CRC32();
        crc.update(pointer.getBytes(StandardCharsets.US_ASCII));
        return Long.toHexString(crc.getValue());
    }

    private List<Long> segmentNumbers() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(path -> path.getFileName().toString())
                    .filter(name -> name.startsWith(SEGMENT_PREFIX) && name.endsWith(SEGMENT_SUFFIX))
                    .map(name -> Long.parseLong(name.substring(SEGMENT_PREFIX.length(),
                            name.length() - SEGMENT_SUFFIX.length())))
                    .sorted()
                    .toList();
        }
    }

    private Path segmentPath(long number) {
        return directory.resolve(String.format("%s%016d%s", SEGMENT_PREFIX, number, SEGMENT_SUFFIX));
    }

    private void syncDirectory() {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException notSupported) {
            // Some platforms cannot sync a directory; the records themselves are still forced.
        }
    }

    private void writeFully(ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            at += segment.write(buffer, at);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the event queue in " + directory + " is closed");
        }
    }
}
