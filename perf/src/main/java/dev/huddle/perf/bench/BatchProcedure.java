package dev.huddle.perf.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.huddle.common.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * (b) The product's way: one {@code huddle_api.upsert_progress_batch} call per batch, autocommit, each
 * result row read as the ingest Lambda reads it. With {@code clients > 1} the batches are dealt out
 * round-robin to that many connections writing at the same time (different learners).
 */
final class BatchProcedure implements BenchMethod {
    private static final String CALL =
            "SELECT idx, event_id, status, reason FROM huddle_api.upsert_progress_batch(?, ?::jsonb, ?)";
    private static final ObjectMapper MAPPER = Json.mapper();

    private final Supplier<Connection> connections;
    private final int clients;

    BatchProcedure(Supplier<Connection> connections, int clients) {
        this.connections = connections;
        this.clients = clients;
    }

    @Override
    public String name() {
        return clients == 1 ? "(b) batch procedure" : "(b2) batch procedure, " + clients + " clients";
    }

    @Override
    public Run prepare(List<BenchBatch> batches) {
        // Batches are dealt round-robin, so concurrent clients never write for the same learner.
        List<List<Call>> perClient = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            perClient.add(new ArrayList<>());
        }
        for (int i = 0; i < batches.size(); i++) {
            BenchBatch batch = batches.get(i);
            perClient.get(i % clients).add(new Call(batch.userId(), toJson(batch), batch.events().size()));
        }
        return progress -> store(perClient, progress);
    }

    private void store(List<List<Call>> perClient, Progress progress) throws SQLException {
        if (clients == 1) {
            run(perClient.getFirst(), progress);
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Void>> running = new ArrayList<>();
            for (List<Call> calls : perClient) {
                running.add(pool.submit(() -> {
                    run(calls, progress);
                    return null;
                }));
            }
            for (Future<Void> client : running) {
                client.get();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw new IllegalStateException("a benchmark client failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private void run(List<Call> calls, Progress progress) throws SQLException {
        try (Connection connection = connections.get(); PreparedStatement call = connection.prepareStatement(CALL)) {
            connection.setAutoCommit(true);
            for (Call c : calls) {
                call.setString(1, c.userId());
                call.setString(2, c.eventsJson());
                call.setInt(3, 0);
                int rows = 0;
                try (ResultSet results = call.executeQuery()) {
                    while (results.next()) {
                        rows++;
                    }
                }
                if (rows != c.events()) {
                    throw new IllegalStateException("expected " + c.events() + " result rows, got " + rows);
                }
                progress.stored(c.events());
            }
        }
    }

    static String toJson(BenchBatch batch) {
        ArrayNode array = MAPPER.createArrayNode();
        for (BenchEvent e : batch.events()) {
            ObjectNode node = array.addObject();
            node.put("eventId", e.eventId());
            node.put("type", e.type());
            node.put("courseId", e.courseId());
            node.put("lessonId", e.lessonId());
            node.put("progressPercent", e.progressPercent());
            node.put("timeSpentSeconds", e.timeSpentSeconds());
            node.put("occurredAt", e.occurredAt().toString());
        }
        try {
            return MAPPER.writeValueAsString(array);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not serialise a batch", e);
        }
    }

    private record Call(String userId, String eventsJson, int events) {
    }
}
