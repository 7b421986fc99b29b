package dev.huddle.ops;

import dev.huddle.common.Json;
import dev.huddle.devservers.SimpleDataSource;
import dev.huddle.ops.target.StackDatabaseOptions;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code local-stack.jar backfill --days 40 --events-per-day N}: back-dated synthetic events for retention and benchmarks. */
@Command(name = "backfill", mixinStandardHelpOptions = true,
        description = {
            "Writes back-dated synthetic events of the demo learners straight into the database: the last --days",
            "days before today, --events-per-day each, through the ingest procedures in batches of 100 (the",
            "progress tables stay consistent). Creates the days' partitions first. Rerunning stores nothing twice.",
            "The last line is a JSON object with the totals."})
public final class BackfillCommand implements Callable<Integer> {
    @Option(names = "--days", defaultValue = "40", description = "Days back from yesterday (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--events-per-day", defaultValue = "1000", description = "Events per day (default: ${DEFAULT-VALUE}).")
    int eventsPerDay;

    @Mixin
    StackDatabaseOptions database;

    private final PrintStream out;

    public BackfillCommand() {
        this(System.out);
    }

    BackfillCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        if (days < 1 || days > 3650 || eventsPerDay < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--days must be within 1..3650 and --events-per-day at least 1");
        }
        Map<String, String> settings = database.settings(System.getenv());
        SimpleDataSource dataSource = StackDatabaseOptions.dataSource(settings);
        out.printf("Backfilling %d days x %,d events into %s ...%n", days, eventsPerDay,
                StackDatabaseOptions.redactedUrl(settings));
        long started = System.nanoTime();
        Backfill.Totals totals = new Backfill(() -> connect(dataSource), out).run(days, eventsPerDay);
        double seconds = (System.nanoTime() - started) / 1e9;
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("days", days);
        json.put("eventsPerDay", eventsPerDay);
        json.put("sent", totals.sent());
        json.put("accepted", totals.accepted());
        json.put("duplicate", totals.duplicate());
        json.put("rejected", totals.rejected());
        json.put("retiredDaysSkipped", totals.retiredDaysSkipped().size());
        json.put("seconds", Math.round(seconds * 10) / 10.0);
        json.put("eventsPerSecond", Math.round(totals.sent() / seconds));
        out.println(Json.mapper().writeValueAsString(json));
        return 0;
    }

    private static Connection connect(SimpleDataSource dataSource) {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to PostgreSQL (SQLState " + e.getSQLState() + ")", e);
        }
    }
}
