package dev.huddle.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskQueueTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path directory;

    @Test
    void appendedEvents_arePeekedInOrder_withTheirIdsAndBytes() {
        try (DiskQueue queue = open()) {
            append(queue, "e-1", "e-2", "e-3");

            List<QueuedEvent> head = queue.peek(2);

            assertThat(head).extracting(QueuedEvent::eventId).containsExactly("e-1", "e-2");
            assertThat(new String(head.get(0).json(), StandardCharsets.UTF_8)).isEqualTo(json("e-1"));
            assertThat(head.get(0).enqueuedAt()).isEqualTo(CLOCK.instant());
            assertThat(queue.depth()).isEqualTo(3);
        }
    }

    @Test
    void unacknowledgedEvents_survive_aReopen() {
        try (DiskQueue queue = open()) {
            append(queue, "e-1", "e-2", "e-3");
            queue.acknowledge(1);
        }

        try (DiskQueue reopened = open()) {
            assertThat(reopened.peek(10)).extracting(QueuedEvent::eventId).containsExactly("e-2", "e-3");
            assertThat(reopened.oldestEnqueuedAt()).contains(CLOCK.instant());
        }
    }

    @Test
    void aTornLastRecord_isDropped_andNewRecordsFollowTheValidOnes() throws IOException {
        try (DiskQueue queue = open()) {
            append(queue, "e-1", "e-2");
        }
        Path segment = onlySegment();
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            file.setLength(file.length() - 5);
        }

        try (DiskQueue reopened = open()) {
            assertThat(reopened.peek(10)).extracting(QueuedEvent::eventId).containsExactly("e-1");
            append(reopened, "e-3");
        }
        try (DiskQueue again = open()) {
            assertThat(again.peek(10)).extracting(QueuedEvent::eventId).containsExactly("e-1", "e-3");
        }
    }

    @Test
    void aHalfWrittenHeader_isDropped() throws IOException {
        try (DiskQueue queue = open()) {
            append(queue, "e-1");
        }
        Files.write(onlySegment(), new byte[] {0, 0, 0}, java.nio.file.StandardOpenOption.APPEND);

        try (DiskQueue reopened = open()) {
            assertThat(reopened.peek(10)).extracting(QueuedEvent::eventId).containsExactly("e-1");
        }
    }

    @Test
    void aBadLastRecord_isATornTail_andIsCutOff() throws IOException {
        try (DiskQueue queue = open()) {
            append(queue, "e-1", "e-2");
        }
        Path segment = onlySegment();
        long size = Files.size(segment);
        overwrite(segment, size - 3, '#');

        try (DiskQueue reopened = open()) {
            assertThat(reopened.peek(10)).extracting(QueuedEvent::eventId).containsExactly("e-1");
            assertThat(reopened.damagedRegionsSkipped()).as("a torn tail is not damage in the middle").isZero();
        }
        assertThat(Files.size(segment)).isEqualTo(recordBytes("e-1"));
    }

    @Test
    void aDamagedRecordInTheMiddle_isSkipped_counted_andTheRecordsAfterItAreKept() throws IOException {
        try (DiskQueue queue = open()) {
            append(queue, "e-1", "e-2", "e-3");
        }
        Path segment = onlySegment();
        overwrite(segment, recordBytes("e-1") + 20, '#'); // inside e-2's JSON

        try (DiskQueue reopened = open()) {
            assertThat(reopened.peek(10)).extracting(QueuedEvent::eventId).containsExactly("e-1", "e-3");
            assertThat(reopened.damagedRegionsSkipped()).isEqualTo(1);
            append(reopened, "e-4");
        }
        try (DiskQueue again = open()) {
            assertThat(again.peek(10)).extracting(QueuedEvent::eventId).containsExactly("e-1", "e-3", "e-4");
        }
    }

    @Test
    void aDamagedLengthField_isResynchronisedOnTheNextRecord() throws IOException {
        try (DiskQueue queue = open()) {
            append(queue, "e-1", "e-2", "e-3");
        }
        Path segment = onlySegment();
        overwrite(segment, recordBytes("e-1") + 3, 0x7f); // e-2 claims 127 bytes more or less than it has

        try (DiskQueue reopened = open()) {
            assertThat(reopened.peek(10)).extracting(QueuedEvent::eventId).containsExactly("e-1", "e-3");
        }
    }

    @Test
    void aPointerPastTheEndOfItsSegment_isReset_soNewAppendsAreNotSkipped() throws IOException {
        try (DiskQueue queue = DiskQueue.open(directory, 100, false, CLOCK)) {
            append(queue, "e-1", "e-2", "e-3");
            queue.acknowledge(2);
        }
        // A power loss with fsync off: the pointer (forced) survived, the segment's last writes did not.
        Path segment = onlySegment();
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            file.setLength(recordBytes("e-1"));
        }

        try (DiskQueue reopened = open()) {
            assertThat(reopened.peek(10)).as("e-1 was acknowledged: sent again, which the server deduplicates")
                    .extracting(QueuedEvent::eventId).containsExactly("e-1");
            append(reopened, "e-4");
        }
        try (DiskQueue again = open()) {
            assertThat(again.peek(10)).extracting(QueuedEvent::eventId).containsExactly("e-1", "e-4");
        }
    }

    @Test
    void aPointerInsideARecord_keepsEveryRecordOfItsSegment() throws IOException {
        String[] pointer = threeEventsWithTheFirstAcknowledged();
        Files.writeString(directory.resolve("ack"), DiskQueue.pointerLine(Long.parseLong(pointer[0]), 5));

        try (DiskQueue reopened = open()) {
            assertThat(reopened.peek(10)).extracting(QueuedEvent::eventId).containsExactly("e-1", "e-2", "e-3");
            reopened.acknowledge(1);
        }
        try (DiskQueue again = open()) {
            assertThat(again.peek(10)).extracting(QueuedEvent::eventId).containsExactly("e-2", "e-3");
        }
    }

    @Test
    void aPointerWithAChangedDigit_failsItsChecksum_andEveryRecordIsKept() throws IOException {
        String[] pointer = threeEventsWithTheFirstAcknowledged();
        // The end of e-2 is a record boundary: without the checksum e-2 would be skipped unsent.
        Files.writeString(directory.resolve("ack"),
                pointer[0] + " " + 2 * recordBytes("e-1") + " " + pointer[2] + "\n");

        try (DiskQueue reopened = open()) {
            assertThat(reopened.peek(10)).extracting(QueuedEvent::eventId).containsExactly("e-1", "e-2", "e-3");
        }
    }

    @Test
    void aFullQueue_refusesNewEvents_untilSomeAreAcknowledged() {
        try (DiskQueue queue = DiskQueue.open(directory, 2, false, CLOCK)) {
            append(queue, "e-1", "e-2");

            assertThat(queue.append("e-3", json("e-3").getBytes(StandardCharsets.UTF_8))).isFalse();
            queue.acknowledge(1);
            assertThat(queue.append("e-3", json("e-3").getBytes(StandardCharsets.UTF_8))).isTrue();
            assertThat(queue.peek(10)).extracting(QueuedEvent::eventId).containsExactly("e-2", "e-3");
        }
    }

    @Test
    void drainingTheQueue_deletesTheOldSegments() throws IOException {
        try (DiskQueue queue = DiskQueue.open(directory, 100, false, CLOCK, 100)) {
            append(queue, "e-1", "e-2", "e-3", "e-4");
            assertThat(segments()).hasSizeGreaterThan(1);

            queue.acknowledge(4);

            assertThat(segments()).allSatisfy(segment -> assertThat(Files.size(segment)).isZero());
            assertThat(queue.depth()).isZero();
        }
        try (DiskQueue reopened = open()) {
            assertThat(reopened.depth()).isZero();
        }
    }

    @Test
    void eventsSpreadOverSegments_reopenFromThePointer() throws IOException {
        try (DiskQueue queue = DiskQueue.open(directory, 100, false, CLOCK, 100)) {
            append(queue, "e-1", "e-2", "e-3", "e-4", "e-5");
            queue.acknowledge(2);
        }

        try (DiskQueue reopened = DiskQueue.open(directory, 100, false, CLOCK, 100)) {
            assertThat(reopened.peek(10)).extracting(QueuedEvent::eventId).containsExactly("e-3", "e-4", "e-5");
            append(reopened, "e-6");
            reopened.acknowledge(3);
        }
        try (DiskQueue again = open()) {
            assertThat(again.peek(10)).extracting(QueuedEvent::eventId).containsExactly("e-6");
        }
    }

    @Test
    void acknowledgingMoreThanQueued_fails() {
        try (DiskQueue queue = open()) {
            append(queue, "e-1");

            assertThatThrownBy(() -> queue.acknowledge(2))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("acknowledging 2 of 1 events");
        }
    }

    @Test
    void afterClose_anAcknowledgementChangesNothingOnDisk() {
        DiskQueue queue = open();
        append(queue, "e-1");
        queue.close();

        assertThat(queue.acknowledge(1)).isFalse();
        try (DiskQueue reopened = open()) {
            assertThat(reopened.depth()).isEqualTo(1);
        }
    }

    /** Queues e-1, e-2, e-3, acknowledges e-1 and returns the pointer file's fields. */
    private String[] threeEventsWithTheFirstAcknowledged() throws IOException {
        try (DiskQueue queue = open()) {
            append(queue, "e-1", "e-2", "e-3");
            queue.acknowledge(1);
        }
        return Files.readString(directory.resolve("ack")).trim().split(" ");
    }

    private static void overwrite(Path file, long offset, int value) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            raf.write(value);
        }
    }

    private static long recordBytes(String id) {
        return RecordFormat.HEADER_BYTES + json(id).getBytes(StandardCharsets.UTF_8).length;
    }

    private DiskQueue open() {
        return DiskQueue.open(directory, 100, true, CLOCK);
    }

    private static void append(DiskQueue queue, String... ids) {
        for (String id : ids) {
            assertThat(queue.append(id, json(id).getBytes(StandardCharsets.UTF_8))).isTrue();
        }
    }

    private static String json(String id) {
        return "{\"eventId\":\"" + id + "\",\"name\":\"lesson_opened\"}";
    }

    private Path onlySegment() throws IOException {
        List<Path> segments = segments();
        assertThat(segments).hasSize(1);
        return segments.get(0);
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(path -> path.getFileName().toString().startsWith("segment-")).toList();
        }
    }
}
