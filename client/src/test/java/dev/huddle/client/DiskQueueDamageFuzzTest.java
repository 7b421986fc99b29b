package dev.huddle.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Histogram;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

/**
 * Random damage to a queue folder: bytes overwritten and files cut at random offsets, in the segments and in
 * the pointer file. Then every <em>intact</em> record not yet acknowledged is delivered exactly once, in order,
 * and nothing else is; new appends after the damage are never skipped.
 *
 * <p><b>Intact</b> means the record's bytes are all still in its file, unchanged. Such a record is always
 * found: reading stops only at a valid record, and resynchronisation tries every offset after damage, so the
 * first valid record it finds is either the intact one or a <em>false</em> record made of damaged or
 * misaligned bytes. A false record needs a length whose first byte is 0x00 (never in stored JSON), a JSON start
 * of {@code '{'} and a matching CRC32 over its bytes: a chance of at most 2<sup>-32</sup> per candidate offset,
 * about 10<sup>-4</sup> over this whole property, so the test asserts the exact outcome (see RecordFormat).
 *
 * <p>Acknowledged records come back (once) only when the damage hit the pointer file or the pointer's
 * segment: a pointer that fails its checksum or no longer falls on a record boundary is distrusted, and a
 * resend is harmless (the server deduplicates by eventId), while skipping an unsent record is not.
 */
class DiskQueueDamageFuzzTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC);
    private static final long ROLL_BYTES = 400;

    /** Where an appended record landed, and its bytes as written. */
    private record Written(int order, String eventId, Path file, long start, long end, byte[] json) {
    }

    @Property(tries = 300)
    @StatisticsReport(format = Histogram.class)
    void afterRandomDamage_everyIntactUnacknowledgedRecordIsDeliveredOnce_andNothingElse(
            @ForAll @IntRange(min = 1, max = 60) int records,
            @ForAll @IntRange(min = 0, max = 60) int acknowledged,
            @ForAll @IntRange(min = 1, max = 6) int damages,
            @ForAll long seed) throws IOException {
        Path directory = Files.createTempDirectory("queue-fuzz");
        try {
            Random random = new Random(seed);
            int acked = Math.min(acknowledged, records);
            Map<String, Written> written = fill(directory, records, acked, random);
            Map<Path, byte[]> before = snapshot(directory);
            Path pointerSegment = pointerSegment(directory);

            damage(directory, damages, random);

            Map<Path, byte[]> after = snapshot(directory);
            boolean pointerTouched = changed(before, after, directory.resolve("ack"))
                    || changed(before, after, pointerSegment);
            List<Written> intactUnacked = written.values().stream()
                    .filter(w -> w.order() >= acked && intact(w, after))
                    .sorted(Comparator.comparingInt(Written::order)).toList();

            List<QueuedEvent> delivered;
            try (DiskQueue queue = open(directory)) {
                delivered = queue.peek(Integer.MAX_VALUE);
                Statistics.label("resynchronised past damage in the middle")
                        .collect(queue.damagedRegionsSkipped() > 0);
                Statistics.label("an intact record after a damaged one")
                        .collect(intactAfterDamage(written.values(), after, acked));
                for (int i = 0; i < 3; i++) {
                    queue.append("new-" + i, json("new-" + i, 10));
                }
            }

            List<Written> deliveredRecords = new ArrayList<>();
            for (QueuedEvent event : delivered) {
                Written original = written.get(event.eventId());
                assertThat(original).as("delivered %s: an appended record", event.eventId()).isNotNull();
                assertThat(event.json()).as("its bytes as written").isEqualTo(original.json());
                assertThat(intact(original, after)).as("%s is intact", event.eventId()).isTrue();
                deliveredRecords.add(original);
            }
            assertThat(deliveredRecords).as("in append order, each once")
                    .isSortedAccordingTo(Comparator.comparingInt(Written::order))
                    .doesNotHaveDuplicates();
            assertThat(deliveredRecords.stream().filter(w -> w.order() >= acked).toList())
                    .as("every intact unacknowledged record").containsExactlyElementsOf(intactUnacked);
            if (!pointerTouched) {
                assertThat(deliveredRecords).as("no acknowledged record (pointer and its segment untouched)")
                        .allMatch(w -> w.order() >= acked);
            }

            try (DiskQueue reopened = open(directory)) {
                List<String> expected = new ArrayList<>(delivered.stream().map(QueuedEvent::eventId).toList());
                expected.addAll(List.of("new-0", "new-1", "new-2"));
                assertThat(reopened.peek(Integer.MAX_VALUE)).as("appends after the damage are kept")
                        .extracting(QueuedEvent::eventId).containsExactlyElementsOf(expected);
                reopened.acknowledge(expected.size());
            }
            try (DiskQueue drained = open(directory)) {
                assertThat(drained.depth()).as("acknowledged after the damage: gone for good").isZero();
            }
        } finally {
            deleteRecursively(directory);
        }
        Statistics.label("resynchronised past damage in the middle")
                .coverage(coverage -> coverage.check(true).percentage(p -> p >= 5));
        Statistics.label("an intact record after a damaged one")
                .coverage(coverage -> coverage.check(true).percentage(p -> p >= 10));
    }

    /** True when an unacknowledged record is damaged and a later one of its file is intact: resync matters. */
    private static boolean intactAfterDamage(java.util.Collection<Written> written, Map<Path, byte[]> files,
            int acked) {
        return written.stream().anyMatch(damaged -> damaged.order() >= acked && !intact(damaged, files)
                && written.stream().anyMatch(later -> later.file().equals(damaged.file())
                        && later.order() > damaged.order() && intact(later, files)));
    }

    /** Appends {@code records} events of random sizes over several segments and acknowledges the first ones. */
    private static Map<String, Written> fill(Path directory, int records, int acked, Random random)
            throws IOException {
        try (DiskQueue queue = open(directory)) {
            for (int i = 0; i < records; i++) {
                String id = String.format("r-%03d", i);
                assertThat(queue.append(id, json(id, random.nextInt(120)))).isTrue();
            }
            queue.acknowledge(acked);
        }
        Map<String, Written> written = new LinkedHashMap<>();
        for (Path segment : segments(directory)) {
            for (RecordFormat.Record record : RecordFormat.scan(Files.readAllBytes(segment)).records()) {
                String id = EventCodec.eventId(record.json());
                written.put(id, new Written(Integer.parseInt(id.substring(2)), id, segment, record.start(),
                        record.end(), record.json()));
            }
        }
        // Fully acknowledged segments are deleted; every unacknowledged record is on disk.
        assertThat(written.values()).filteredOn(w -> w.order() >= acked).hasSize(records - acked);
        return written;
    }

    /** Overwrites 1–4 random bytes or cuts a file at a random offset, {@code count} times. */
    private static void damage(Path directory, int count, Random random) throws IOException {
        for (int i = 0; i < count; i++) {
            List<Path> files = new ArrayList<>(segments(directory));
            Path ack = directory.resolve("ack");
            if (Files.exists(ack) && random.nextInt(8) == 0) {
                files = List.of(ack);
            }
            if (files.isEmpty()) {
                return;
            }
            Path file = files.get(random.nextInt(files.size()));
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                long length = raf.length();
                if (length == 0) {
                    continue;
                }
                if (random.nextInt(10) < 7) {
                    int bytes = 1 + random.nextInt(4);
                    for (int b = 0; b < bytes; b++) {
                        raf.seek(random.nextLong(length));
                        raf.write(random.nextInt(256));
                    }
                } else {
                    raf.setLength(random.nextLong(length + 1));
                }
            }
        }
    }

    private static boolean intact(Written record, Map<Path, byte[]> files) {
        byte[] content = files.get(record.file());
        return content != null && content.length >= record.end() && Arrays.equals(content, (int) record.start(),
                (int) record.end(), original(record), 0, original(record).length);
    }

    /** The record's bytes as {@link RecordFormat#encode} wrote them. */
    private static byte[] original(Written record) {
        byte[] bytes = new byte[(int) (record.end() - record.start())];
        RecordFormat.encode(record.json(), CLOCK.millis()).get(bytes);
        return bytes;
    }

    private static boolean changed(Map<Path, byte[]> before, Map<Path, byte[]> after, Path file) {
        return file != null && !Arrays.equals(before.get(file), after.get(file));
    }

    private static Path pointerSegment(Path directory) throws IOException {
        Path ack = directory.resolve("ack");
        if (!Files.exists(ack)) {
            return null;
        }
        long number = Long.parseLong(Files.readString(ack).trim().split(" ")[0]);
        return directory.resolve(String.format("segment-%016d.log", number));
    }

    private static Map<Path, byte[]> snapshot(Path directory) throws IOException {
        Map<Path, byte[]> files = new HashMap<>();
        try (Stream<Path> list = Files.list(directory)) {
            for (Path file : list.toList()) {
                files.put(file, Files.readAllBytes(file));
            }
        }
        return files;
    }

    private static List<Path> segments(Path directory) throws IOException {
        try (Stream<Path> list = Files.list(directory)) {
            return list.filter(path -> path.getFileName().toString().startsWith("segment-")).sorted().toList();
        }
    }

    private static DiskQueue open(Path directory) {
        return DiskQueue.open(directory, 1_000, false, CLOCK, ROLL_BYTES);
    }

    private static byte[] json(String id, int padding) {
        return ("{\"eventId\":\"" + id + "\",\"name\":\"lesson_opened\",\"pad\":\"" + "x".repeat(padding) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
