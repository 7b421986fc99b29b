package dev.huddle.rollup;

import dev.huddle.common.db.DatabaseConnection;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads rollups with ONE query: the org's existence, its daily rows and its per-name counts of the
 * range, as JSON-free rows (kind = 'org' | 'day' | 'name'). Primary-key range scans on both tables.
 */
final class PostgresRollupReader implements RollupReader {
    private static final String QUERY = """
            SELECT 'org' AS kind, NULL::date AS day, NULL::text AS name, 0::bigint AS a, 0::bigint AS b, 0::bigint AS c,
                   0::bigint AS d, 0::bigint AS e
              FROM huddle.orgs WHERE org_id = ?
            UNION ALL
            SELECT 'day', day, NULL, active_learners, lessons_completed, courses_completed, time_spent_seconds, events_total
              FROM huddle.org_daily_rollups WHERE org_id = ? AND day BETWEEN ? AND ?
            UNION ALL
            SELECT 'name', day, name, sum(count)::bigint, 0, 0, 0, 0
              FROM huddle.org_daily_event_counts WHERE org_id = ? AND day BETWEEN ? AND ?
             GROUP BY day, name
            """;

    private final DatabaseConnection database;

    public PostgresRollupReader(DatabaseConnection database) {
        this.database = database;
    }

    static PostgresRollupReader fromConfig(RollupConfig config) {
        return new PostgresRollupReader(DatabaseConnection.fromConfig(config.database(), config.aws(),
                config.database().connectTimeout(), config.database().statementTimeout(), "huddle-admin"));
    }

    @Override
    public Optional<List<DailyRollup>> read(String orgId, LocalDate from, LocalDate to) throws SQLException {
        return database.execute(connection -> query(connection, orgId, from, to));
    }

    private static Optional<List<DailyRollup>> query(Connection connection, String orgId, LocalDate from, LocalDate to)
            throws SQLException {
        boolean orgExists = false;
        Map<LocalDate, long[]> figures = new LinkedHashMap<>();
        Map<LocalDate, Map<String, Long>> names = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(QUERY)) {
            statement.setString(1, orgId);
            for (int offset : new int[] {2, 5}) {
                statement.setString(offset, orgId);
                statement.setDate(offset + 1, Date.valueOf(from));
                statement.setDate(offset + 2, Date.valueOf(to));
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    switch (rows.getString("kind")) {
                        case "org" -> orgExists = true;
                        case "day" -> figures.put(rows.getDate("day").toLocalDate(), new long[] {rows.getLong("a"),
                                rows.getLong("b"), rows.getLong("c"), rows.getLong("d"), rows.getLong("e")});
                        default -> names.computeIfAbsent(rows.getDate("day").toLocalDate(), d -> new HashMap<>())
                                .merge(rows.getString("name"), rows.getLong("a"), Long::sum);
                    }
                }
            }
        }
        if (!orgExists) {
            return Optional.empty();
        }
        List<DailyRollup> days = new ArrayList<>();
        figures.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> days.add(new DailyRollup(e.getKey(),
                e.getValue()[0], e.getValue()[1], e.getValue()[2], e.getValue()[3], e.getValue()[4],
                names.getOrDefault(e.getKey(), Map.of()))));
        return Optional.of(days);
    }
}
