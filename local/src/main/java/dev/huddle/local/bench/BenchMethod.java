package dev.huddle.local.bench;

import java.sql.SQLException;
import java.util.List;

/** One way of storing the same events; the harness times {@link #store}. */
interface BenchMethod {
    /** A short name for progress lines and the report. */
    String name();

    /** Stores every event of {@code batches}, reporting each stored batch to {@code progress}. */
    void store(List<BenchBatch> batches, Progress progress) throws SQLException;
}
