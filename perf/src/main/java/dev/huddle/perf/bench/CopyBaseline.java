package dev.huddle.perf.bench;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Supplier;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * (c) The bare cost of storing the events: COPY of the same rows into progress_events itself, one
 * transaction per batch. No dedupe, no lookups, no merge - the floor the procedure cannot beat.
 */
final class CopyBaseline implements BenchMethod {
    private static final String COPY = "COPY huddle.progress_events (event_id, user_id, org_id, course_id,"
            + " lesson_id, type, progress_percent, time_spent_seconds, occurred_at) FROM STDIN";

    private final Supplier<Connection> connections;

    CopyBaseline(Supplier<Connection> connections) {
        this.connections = connections;
    }

    @Override
    public String name() {
        return "(c) COPY into progress_events";
    }

    @Override
    public Run prepare(List<BenchBatch> batches) {
        List<String> texts = batches.stream().map(CopyBaseline::toCopyText).toList();
        List<Integer> sizes = batches.stream().map(batch -> batch.events().size()).toList();
        return progress -> store(texts, sizes, progress);
    }

    private void store(List<String> texts, List<Integer> sizes, Progress progress) throws SQLException {
        try (Connection connection = connections.get()) {
            connection.setAutoCommit(false);
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            for (int i = 0; i < texts.size(); i++) {
                try {
                    copy.copyIn(COPY, new StringReader(texts.get(i)));
                } catch (IOException e) {
                    throw new SQLException("COPY failed", e);
                }
                connection.commit();
                progress.stored(sizes.get(i));
            }
        }
    }

    /** COPY's text format: tab-separated, one row per line (the generated ids contain no tabs). */
    private static String toCopyText(BenchBatch batch) {
        StringBuilder rows = new StringBuilder(batch.events().size() * 160);
        for (BenchEvent e : batch.events()) {
            rows.append(e.eventId()).append('\t')
                    .append(e.userId()).append('\t')
                    .append(e.orgId()).append('\t')
                    .append(e.courseId()).append('\t')
                    .append(e.lessonId()).append('\t')
                    .append(e.type()).append('\t')
                    .append(e.progressPercent()).append('\t')
                    .append(e.timeSpentSeconds()).append('\t')
                    .append(e.occurredAt()).append('\n');
        }
        return rows.toString();
    }
}
