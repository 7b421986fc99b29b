package dev.huddle.retention;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * gzip at level 1: on this job the compressor, not COPY or the upload, bounds the export rate, and
 * level 1 exports twice as fast as the default 6 for objects a third larger (measured in
 * docs/PERFORMANCE.md). Any gzip reader reads it.
 */
final class FastGzipOutputStream extends GZIPOutputStream {
    FastGzipOutputStream(OutputStream out) throws IOException {
        super(out, 64 * 1024);
        def.setLevel(Deflater.BEST_SPEED);
    }
}
