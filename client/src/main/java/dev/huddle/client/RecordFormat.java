package dev.huddle.client;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The queue's record layout, and how a segment's bytes are read back when some of them are damaged.
 *
 * <p>Record: {@code [int length][int crc32][long enqueuedAtMillis][length bytes of JSON]}, the CRC covering the
 * timestamp and the JSON. Records follow each other from offset 0.
 *
 * <p><b>Resynchronisation.</b> Where the bytes at the expected offset are not a valid record (length out of
 * range, cut short, JSON not starting with {@code '{'}, or a CRC mismatch), the reader tries every later offset
 * until one holds a valid record, and skips the damaged bytes in between (one damaged region): bit rot or a
 * partial overwrite in the middle costs only the records it touched. Damage with no valid record after it is
 * the <em>tail</em>; in the segment being appended to that is a write torn by a crash, and {@link DiskQueue}
 * truncates it.
 *
 * <p><b>Why resynchronising does not invent records.</b> A candidate needs a length below
 * {@link #MAX_RECORD_BYTES} (16 MiB), so its first byte is {@code 0x00}; the stored JSON never holds that byte
 * (Jackson escapes control characters), so a candidate never starts inside an intact record's JSON. It must
 * also fit in the file, its JSON must start with {@code '{'}, and the CRC32 of its timestamp and JSON must
 * match: damaged or misaligned bytes pass that last check with probability 2<sup>-32</sup> per candidate.
 * Every intact record is found (the scan looks at every offset before it), except in the same 2<sup>-32</sup>
 * case where a false record overlaps it.
 */
final class RecordFormat {
    static final int HEADER_BYTES = 16;
    static final int MAX_RECORD_BYTES = 16 * 1024 * 1024;
    /** The shortest JSON an event can have ({@code {}}); rejects the zeros a lost page reads as cheaply. */
    private static final int MIN_JSON_BYTES = 2;

    /** One valid record: its bytes in the segment are {@code [start, end)}. */
    record Record(long start, long end, long enqueuedAtMillis, byte[] json) {
    }

    /**
     * What a segment holds.
     *
     * @param records the valid records in file order
     * @param damagedStarts where each damaged region that is followed by a valid record starts
     * @param tailStart where the damaged tail starts (the segment's size when there is none)
     */
    record Scan(List<Record> records, List<Long> damagedStarts, long tailStart) {
        /** True when {@code offset} is 0 or a record starts or ends there: a place an acknowledgement can point. */
        boolean isBoundary(long offset) {
            return offset == 0 || records.stream().anyMatch(r -> r.start() == offset || r.end() == offset);
        }
    }

    private RecordFormat() {
    }

    static ByteBuffer encode(byte[] json, long enqueuedAtMillis) {
        ByteBuffer record = ByteBuffer.allocate(HEADER_BYTES + json.length);
        record.putInt(json.length).putInt(crc(enqueuedAtMillis, json, 0, json.length)).putLong(enqueuedAtMillis)
                .put(json);
        return record.flip();
    }

    /** Reads every valid record of a segment's bytes, resynchronising past damaged ones (see the class comment). */
    static Scan scan(byte[] segment) {
        List<Record> records = new ArrayList<>();
        List<Long> damagedStarts = new ArrayList<>();
        int position = 0;
        while (position < segment.length) {
            Record record = recordAt(segment, position);
            if (record != null) {
                records.add(record);
                position = (int) record.end();
                continue;
            }
            int next = nextRecordAfter(segment, position);
            if (next < 0) {
                return new Scan(records, damagedStarts, position);
            }
            damagedStarts.add((long) position);
            position = next;
        }
        return new Scan(records, damagedStarts, segment.length);
    }

    private static int nextRecordAfter(byte[] segment, int damagedAt) {
        for (int candidate = damagedAt + 1; candidate + HEADER_BYTES <= segment.length; candidate++) {
            if (recordAt(segment, candidate) != null) {
                return candidate;
            }
        }
        return -1;
    }

    /** The valid record starting at {@code position}, or null. */
    private static Record recordAt(byte[] segment, int position) {
        if (position + HEADER_BYTES > segment.length) {
            return null;
        }
        ByteBuffer header = ByteBuffer.wrap(segment, position, HEADER_BYTES);
        int length = header.getInt();
        int crc = header.getInt();
        long enqueuedAt = header.getLong();
        int jsonStart = position + HEADER_BYTES;
        if (length < MIN_JSON_BYTES || length > MAX_RECORD_BYTES || length > segment.length - jsonStart
                || segment[jsonStart] != '{' || crc(enqueuedAt, segment, jsonStart, length) != crc) {
            return null;
        }
        byte[] json = new byte[length];
        System.arraycopy(segment, jsonStart, json, 0, length);
        return new Record(position, (long) jsonStart + length, enqueuedAt, json);
    }

    private static int crc(long enqueuedAtMillis, byte[] bytes, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(ByteBuffer.allocate(8).putLong(0, enqueuedAtMillis));
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }
}
