package dev.huddle.sql.support;

import dev.huddle.devservers.TestPostgres;
import dev.huddle.sql.DemoData;
import dev.huddle.sql.Migrations;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Test databases and small query helpers. */
public final class Db {
    private Db() {
    }

    /** A fresh database with the schema and the demo data (a copy of one prepared once per test JVM). */
    public static DataSource seeded() {
        return seededDatabase().dataSource();
    }

    /** As {@link #seeded()}, for tests that also log in as a function's role ({@link TestPostgres.Database#login}). */
    public static TestPostgres.Database seededDatabase() {
        return TestPostgres.newDatabase("migrated-and-seeded", dataSource -> {
            Migrations.apply(dataSource);
            DemoData.seed(dataSource);
        });
    }

    /** Each row as "col=value|col=value", in query order. */
    public static List<String> rows(DataSource db, String sql, Object... parameters) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            bind(st, parameters);
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int col = 1; col <= meta.getColumnCount(); col++) {
                        if (col > 1) {
                            row.append('|');
                        }
                        row.append(meta.getColumnLabel(col)).append('=').append(rs.getString(col));
                    }
                    rows.add(row.toString());
                }
            }
            return rows;
        }
    }

    /** Runs one statement that returns no rows; answers the number of rows it changed. */
    public static int execute(DataSource db, String sql, Object... parameters) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            bind(st, parameters);
            return st.executeUpdate();
        }
    }

    private static void bind(PreparedStatement st, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            st.setObject(i + 1, parameters[i]);
        }
    }

    /** The single value of a one-row, one-column query (as text, or null). */
    public static String value(DataSource db, String sql, Object... parameters) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            bind(st, parameters);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no row: " + sql);
                }
                return rs.getString(1);
            }
        }
    }
}
