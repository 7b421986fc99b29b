package dev.huddle.infra;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.LogQueryWidget;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.rds.DatabaseInstance;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/**
 * The operations dashboard and alarms. Function metrics come from the EMF lines the functions log (no
 * PutMetricData calls): Huddle/Ingest by Route (dev.huddle.ingest.IngestTelemetry), Huddle/Rollup by
 * operation (rollup handlers), Huddle by Function=retention (dev.huddle.retention.RetentionReport),
 * HuddleIngest RateLimiterFallback by cause (dev.huddle.ratelimit.FallbackRecorder). API Gateway, Lambda,
 * SQS and RDS metrics come from those services. Alarms notify an SNS topic (email from context).
 */
public final class Observability extends Construct {
    public static final String INGEST_NAMESPACE = "Huddle/Ingest";
    public static final String ROLLUP_NAMESPACE = "Huddle/Rollup";
    public static final String RETENTION_NAMESPACE = "Huddle";
    /** dev.huddle.ratelimit.FallbackRecorder's namespace, metric and the values of its "cause" dimension. */
    public static final String RATE_LIMIT_NAMESPACE = "HuddleIngest";
    public static final String RATE_LIMIT_FALLBACK_METRIC = "RateLimiterFallback";
    public static final List<String> RATE_LIMIT_FALLBACK_CAUSES = List.of("dynamodb_error", "circuit_open");
    static final Duration PERIOD = Duration.minutes(1);
    /** Alarm thresholds, also in the README. */
    public static final double SERVER_ERROR_PERCENT = 1;
    public static final double P95_LATENCY_MS = 1_000;
    public static final double ROLLUP_AGE_SECONDS = 300;
    /** Free storage below this share of the allocated storage alarms. */
    public static final double FREE_STORAGE_SHARE = 0.2;
    /** Database connections above this share of the proxy's pool alarm: clients are about to wait to borrow. */
    public static final double CONNECTIONS_SHARE = 0.9;
    /** A partition older than the retention window plus this many days alarms: two nightly runs missed it. */
    public static final int PARTITION_AGE_SLACK_DAYS = 2;
    /** Period of the Lambda error and throttle alarms. */
    static final Duration FUNCTION_PERIOD = Duration.minutes(5);

    private final Dashboard dashboard;
    private final Topic alarmTopic;
    private final List<Alarm> alarms = new ArrayList<>();

    /**
     * @param functions every function of the stack by a short name (alarm ids and labels)
     */
    public record Sources(HttpApi api, Queue rollupQueue, Queue rollupDeadLetters, JavaFunction ingest,
                          Map<String, JavaFunction> functions, DatabaseInstance database) {
        public Sources {
            functions = Collections.unmodifiableMap(new LinkedHashMap<>(functions));
        }
    }

    public Observability(Construct scope, String id, Sources sources, HuddleSettings settings) {
        super(scope, id);
        alarmTopic = Topic.Builder.create(this, "AlarmTopic")
                .displayName("huddle-ingest alarms")
                .enforceSsl(true)
                .build();
        settings.alarmEmail().ifPresent(email -> alarmTopic.addSubscription(new EmailSubscription(email)));

        Map<String, IMetric> latencyP50 = perRoute("BatchLatency", "p50");
        Map<String, IMetric> latencyP95 = perRoute("BatchLatency", "p95");
        Map<String, IMetric> dbP50 = perRoute("DbLatency", "p50");
        Map<String, IMetric> dbP95 = perRoute("DbLatency", "p95");

        IMetric requests = sources.api().metricCount(options("Sum", "requests"));
        IMetric serverErrors = sources.api().metricServerError(options("Sum", "5xx"));
        IMetric clientErrors = sources.api().metricClientError(options("Sum", "4xx (incl. 429)"));
        MathExpression serverErrorRate = MathExpression.Builder.create()
                .expression("IF(requests > 0, 100 * errors / requests, 0)")
                .usingMetrics(Map.of("requests", requests, "errors", serverErrors))
                .label("5xx % of requests")
                .period(PERIOD)
                .build();
        MathExpression worstRouteP95 = MathExpression.Builder.create()
                .expression("MAX([" + String.join(",", ids(latencyP95)) + "])")
                .usingMetrics(byId(latencyP95))
                .label("ingest p95 (worst route)")
                .period(PERIOD)
                .build();
        IMetric queueDepth = sources.rollupQueue().metricApproximateNumberOfMessagesVisible(options("Maximum", "jobs waiting"));
        IMetric queueAge = sources.rollupQueue().metricApproximateAgeOfOldestMessage(options("Maximum", "oldest job (s)"));
        IMetric deadLetters = sources.rollupDeadLetters().metricApproximateNumberOfMessagesVisible(options("Maximum", "dead letters"));

        alarm("ServerErrorRate", serverErrorRate, SERVER_ERROR_PERCENT, 3, 5,
                "More than 1% of API requests answered 5xx in 3 of the last 5 minutes");
        alarm("IngestLatencyP95", worstRouteP95, P95_LATENCY_MS, 5, 5,
                "Ingest p95 above 1 s on some route for 5 minutes");
        alarm("RollupDeadLetters", deadLetters, 0, 1, 1,
                "Rollup jobs in the dead-letter queue: inspect, then replay with the replay function");
        alarm("RollupJobAge", queueAge, ROLLUP_AGE_SECONDS, 3, 3,
                "The oldest rollup job waited more than 5 minutes: the worker is failing or too slow");

        // An org the sweep cannot queue is never rolled up, and retention then keeps its partitions.
        Metric invalidOrgIds = metric(ROLLUP_NAMESPACE, "rollupInvalidOrgIds", Map.of("operation", "sweep"), "Sum");
        alarm("RollupInvalidOrgIds", invalidOrgIds, 0, 1, 1,
                "The sweep found an org id that is not a contract Identifier: it is left out of the rollups (see its log line)");

        List<IMetric> functionErrors = new ArrayList<>();
        List<IMetric> functionThrottles = new ArrayList<>();
        sources.functions().forEach((name, function) -> {
            IMetric errors = function.function().metricErrors(options("Sum", name + " errors", FUNCTION_PERIOD));
            IMetric throttles = function.function().metricThrottles(options("Sum", name + " throttles", FUNCTION_PERIOD));
            functionErrors.add(errors);
            functionThrottles.add(throttles);
            alarm(name + "Errors", errors, 0, 1, 1, "The " + name + " function failed (Lambda Errors > 0 in 5 minutes)");
            alarm(name + "Throttles", throttles, 0, 1, 1, "The " + name + " function was throttled (Lambda Throttles > 0 in "
                    + "5 minutes): at its reserved concurrency or the account's limit");
        });

        Map<String, IMetric> fallbackByCause = new LinkedHashMap<>();
        for (int i = 0; i < RATE_LIMIT_FALLBACK_CAUSES.size(); i++) {
            String cause = RATE_LIMIT_FALLBACK_CAUSES.get(i);
            fallbackByCause.put("cause" + i, Metric.Builder.create().namespace(RATE_LIMIT_NAMESPACE)
                    .metricName(RATE_LIMIT_FALLBACK_METRIC).dimensionsMap(Map.of("cause", cause))
                    .statistic("Sum").period(FUNCTION_PERIOD).label("fallback: " + cause).build());
        }
        MathExpression fallback = MathExpression.Builder.create()
                .expression(String.join(" + ", fallbackByCause.keySet().stream().map(metricId -> "FILL(" + metricId + ", 0)").toList()))
                .usingMetrics(fallbackByCause)
                .label("rate-limit answers from the in-memory fallback")
                .period(FUNCTION_PERIOD)
                .build();
        alarm("RateLimitFallback", fallback, 0, 1, 1,
                "The rate limiter answers from its per-container fallback: DynamoDB failed or its circuit is open");

        ConnectionBudget budget = ConnectionBudget.of(settings.dbInstanceClass());
        double allocatedBytes = settings.dbAllocatedStorageGib() * 1024.0 * 1024 * 1024;
        IMetric freeStorage = sources.database().metricFreeStorageSpace(options("Minimum", "free storage (bytes)", FUNCTION_PERIOD));
        IMetric connections = sources.database().metricDatabaseConnections(options("Maximum", "database connections", FUNCTION_PERIOD));
        alarm("DatabaseFreeStorage", freeStorage, FREE_STORAGE_SHARE * allocatedBytes, 2, 2,
                "RDS free storage below 20% of the allocated storage for 10 minutes",
                ComparisonOperator.LESS_THAN_THRESHOLD);
        alarm("DatabaseConnections", connections, Math.floor(CONNECTIONS_SHARE * budget.proxyConnections()), 2, 2,
                "RDS connections above 90% of the proxy's pool for 10 minutes: clients wait to borrow, ingest sheds");

        Metric partitionsFailed = retention("PartitionsFailed");
        Metric oldestPartitionAge = retention("OldestPartitionAgeDays", "Maximum");
        alarm("RetentionPartitionsFailed", partitionsFailed, 0, 1, 1,
                "Retention could not retire some partition (see the run's log line: failed=<partition>:<error>)");
        alarm("RetentionOldestPartitionAge", oldestPartitionAge, settings.retentionDays() + PARTITION_AGE_SLACK_DAYS, 1, 1,
                "An event partition is older than the retention window plus 2 days: retention keeps skipping or failing it");

        dashboard = Dashboard.Builder.create(this, "Dashboard")
                .dashboardName(Stack.of(this).getStackName() + "-operations")
                .build();
        dashboard.addWidgets(
                graph("Ingest latency p50 (ms)", latencyP50.values()),
                graph("Ingest latency p95 (ms)", latencyP95.values()),
                graph("API responses", List.of(requests, clientErrors, serverErrors)));
        dashboard.addWidgets(
                graph("Database latency p50 / p95 (ms)", concat(dbP50.values(), dbP95.values())),
                graph("Ingest 4xx / 5xx by route", concat(perRoute("Status4xx", "Sum").values(),
                        perRoute("Status5xx", "Sum").values())),
                LogQueryWidget.Builder.create()
                        .title("429 rate_limited answers per minute (ingest logs)")
                        .logGroupNames(List.of(sources.ingest().function().getLogGroup().getLogGroupName()))
                        .queryLines(List.of("filter status = 429", "stats count(*) as rateLimited by bin(1m)"))
                        .width(8)
                        .build());
        dashboard.addWidgets(
                graph("Rollup queue depth", List.of(queueDepth)),
                graph("Rollup oldest job age (s)", List.of(queueAge)),
                graph("Rollup dead letters", List.of(deadLetters)));
        dashboard.addWidgets(
                graph("Rollup worker", List.of(
                        metric(ROLLUP_NAMESPACE, "rollupEventsProcessed", Map.of("operation", "worker"), "Sum"),
                        metric(ROLLUP_NAMESPACE, "rollupMessagesFailed", Map.of("operation", "worker"), "Sum"),
                        metric(ROLLUP_NAMESPACE, "rollupSendFailures", Map.of("operation", "fanOut"), "Sum"),
                        metric(ROLLUP_NAMESPACE, "rollupSendFailures", Map.of("operation", "sweep"), "Sum"),
                        metric(ROLLUP_NAMESPACE, "rollupInvalidOrgIds", Map.of("operation", "fanOut"), "Sum"),
                        invalidOrgIds,
                        metric(ROLLUP_NAMESPACE, "rollupRetryScheduleFailures", Map.of("operation", "workerRetry"), "Sum"))),
                graph("Retention runs", List.of(
                        retention("PartitionsSnapshotted"), retention("PartitionsDropped"),
                        retention("PartitionsSkipped"), retention("PartitionsCreatedAhead"))),
                graph("Retention rows exported / duration", List.of(retention("RowsExported"), retention("DurationMs"))));
        dashboard.addWidgets(
                graph("Lambda errors", functionErrors),
                graph("Lambda throttles", functionThrottles),
                graph("Rate limiter fallback answers", List.of(fallback)));
        dashboard.addWidgets(
                graph("RDS free storage (bytes)", List.of(freeStorage)),
                graph("RDS connections (proxy pool " + budget.proxyConnections() + ")", List.of(connections)),
                graph("Retention failures / oldest partition (days)", List.of(partitionsFailed, oldestPartitionAge)));
    }

    private void alarm(String id, IMetric metric, double threshold, int datapoints, int periods, String description) {
        alarm(id, metric, threshold, datapoints, periods, description, ComparisonOperator.GREATER_THAN_THRESHOLD);
    }

    private void alarm(String id, IMetric metric, double threshold, int datapoints, int periods, String description,
                       ComparisonOperator comparison) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .metric(metric)
                .threshold(threshold)
                .comparisonOperator(comparison)
                .evaluationPeriods(periods)
                .datapointsToAlarm(datapoints)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .alarmDescription(description)
                .build();
        alarm.addAlarmAction(new SnsAction(alarmTopic));
        alarm.addOkAction(new SnsAction(alarmTopic));
        alarms.add(alarm);
    }

    private static Map<String, IMetric> perRoute(String metricName, String statistic) {
        Map<String, IMetric> metrics = new LinkedHashMap<>();
        for (String path : Api.INGEST_PATHS) {
            String route = "POST " + path;
            metrics.put(route, metric(INGEST_NAMESPACE, metricName, Map.of("Route", route), statistic));
        }
        return metrics;
    }

    private static Metric retention(String metricName) {
        // One run a night: a day's sum is the run's result.
        return retention(metricName, "Sum");
    }

    private static Metric retention(String metricName, String statistic) {
        return Metric.Builder.create().namespace(RETENTION_NAMESPACE).metricName(metricName)
                .dimensionsMap(Map.of("Function", "retention")).statistic(statistic).period(Duration.days(1)).build();
    }

    private static Metric metric(String namespace, String name, Map<String, String> dimensions, String statistic) {
        String label = dimensions.containsKey("Route") ? dimensions.get("Route") + " " + statistic : name;
        return Metric.Builder.create().namespace(namespace).metricName(name).dimensionsMap(dimensions)
                .statistic(statistic).period(PERIOD).label(label).build();
    }

    private static MetricOptions options(String statistic, String label) {
        return options(statistic, label, PERIOD);
    }

    private static MetricOptions options(String statistic, String label, Duration period) {
        return MetricOptions.builder().statistic(statistic).period(period).label(label).build();
    }

    private static List<String> ids(Map<String, IMetric> metrics) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < metrics.size(); i++) {
            ids.add("route" + i);
        }
        return ids;
    }

    private static Map<String, IMetric> byId(Map<String, IMetric> metrics) {
        Map<String, IMetric> byId = new LinkedHashMap<>();
        List<String> ids = ids(metrics);
        List<IMetric> values = List.copyOf(metrics.values());
        for (int i = 0; i < values.size(); i++) {
            byId.put(ids.get(i), values.get(i));
        }
        return byId;
    }

    private static List<IMetric> concat(java.util.Collection<IMetric> a, java.util.Collection<IMetric> b) {
        List<IMetric> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static IWidget graph(String title, java.util.Collection<? extends IMetric> metrics) {
        return GraphWidget.Builder.create().title(title).left(List.copyOf(metrics)).width(8).build();
    }

    public Dashboard dashboard() {
        return dashboard;
    }

    public Topic alarmTopic() {
        return alarmTopic;
    }

    public List<Alarm> alarms() {
        return List.copyOf(alarms);
    }
}
