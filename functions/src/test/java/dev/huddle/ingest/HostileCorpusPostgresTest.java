package dev.huddle.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.huddle.common.db.ConnectionFactory;
import dev.huddle.common.db.DatabaseConnection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The hostile corpus against the real PostgreSQL store: every case leaves the database unchanged. */
class HostileCorpusPostgresTest extends HostileCorpusContract {
    private static IngestDatabase db;
    private static DatabaseConnection connection;
    private static Map<String, Long> rowsBefore;

    @BeforeAll
    static void createDatabase() throws SQLException {
        db = IngestDatabase.create();
        ConnectionFactory factory = db.factory(Duration.ofSeconds(2), "huddle-ingest-hostile", null);
        connection = new DatabaseConnection(factory);
        rowsBefore = db.rowCounts();
    }

    @AfterAll
    static void databaseShouldBeUnchanged() throws SQLException {
        connection.close();
        assertThat(db.rowCounts()).isEqualTo(rowsBefore);
    }

    @Override
    protected EventStore store() {
        return new PostgresEventStore(connection);
    }
}
