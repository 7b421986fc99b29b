package dev.huddle.perf.bench;

import dev.huddle.dbapi.HuddleApi;
import dev.huddle.dbapi.ProcedureInput;
import dev.huddle.dbapi.ProgressInput;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * (b) The product's way: one {@code huddle_api.ingest_request} call per batch (its {@code upsert_progress_batch},
 * without the quota's charge and the fan-out claim), autocommit, through the same {@link HuddleApi} call as the
 * ingest Lambda, each status row read as the Lambda reads it.
 * With {@code clients > 1} the batches are dealt out round-robin to that many connections writing at the
 * same time (different learners).
 */
final class BatchProcedure implements BenchMethod {

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
            perClient.get(i % clients).add(new Call(batch.userId(), ProcedureInput.of(inputs(batch))));
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
        try (Connection connection = connections.get()) {
            connection.setAutoCommit(true);
            for (Call c : calls) {
                int rows = HuddleApi.upsertProgressBatch(connection, c.userId(), c.events(), 0).size();
                if (rows != c.events().size()) {
                    throw new IllegalStateException("expected " + c.events().size() + " result rows, got " + rows);
                }
                progress.stored(c.events().size());
            }
        }
    }

    /** The batch's events as the procedure's input. */
    static List<ProgressInput> inputs(BenchBatch batch) {
        return batch.events().stream()
                .map(e -> new ProgressInput(e.eventId(), e.type(), e.courseId(), e.lessonId(),
                        BigDecimal.valueOf(e.progressPercent()), e.timeSpentSeconds(), e.occurredAt()))
                .toList();
    }

    private record Call(String userId, ProcedureInput<ProgressInput> events) {
    }
}
