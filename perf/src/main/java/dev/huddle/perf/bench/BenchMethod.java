package dev.huddle.perf.bench;

import java.sql.SQLException;
import java.util.List;

/**
 * One way of storing the same events. The harness first lets the method build its request payloads
 * (JSON arrays, COPY text; not timed, since the comparison is about the database path), then times
 * {@link Run#store}.
 */
interface BenchMethod {
    /** A short name for progress lines and the report. */
    String name();

    /** Builds the payloads for {@code batches}; the returned run sends them. */
    Run prepare(List<BenchBatch> batches);

    /** The timed part: stores every prepared batch, reporting each one to {@code progress}. */
    interface Run {
        void store(Progress progress) throws SQLException;
    }
}
