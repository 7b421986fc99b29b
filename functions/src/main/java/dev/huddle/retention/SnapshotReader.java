package dev.huddle.retention;

import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

/** Reads a stored snapshot once: SHA-256 and size of the stored (gzip) bytes, and the JSON lines inside. */
final class SnapshotReader {
    private SnapshotReader() {
    }

    record Contents(long bytes, String sha256, long lines) {
    }

    static Contents read(InputStream stored) throws IOException {
        CountingInputStream counted = new CountingInputStream(stored);
        DigestInputStream digested = new DigestInputStream(counted, Digests.sha256());
        long lines = 0;
        byte[] chunk = new byte[64 * 1024];
        GZIPInputStream gzip = new GZIPInputStream(digested, 64 * 1024);
        for (int n; (n = gzip.read(chunk)) > 0; ) {
            for (int i = 0; i < n; i++) {
                if (chunk[i] == '\n') {
                    lines++;
                }
            }
        }
        // Bytes after the gzip trailer (there should be none) still count towards size and digest.
        while (digested.read(chunk) > 0) {
            // drain
        }
        return new Contents(counted.count(), HexFormat.of().formatHex(digested.getMessageDigest().digest()), lines);
    }

    /** Counts the bytes read through it. */
    private static final class CountingInputStream extends java.io.FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        long count() {
            return count;
        }
    }
}
