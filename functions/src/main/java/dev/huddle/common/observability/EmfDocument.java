package dev.huddle.common.observability;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.huddle.common.Json;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds one CloudWatch Embedded Metric Format line: a JSON log event whose {@code _aws} block tells
 * CloudWatch which root members are metrics. The other root members stay ordinary, queryable log fields,
 * so one line serves as both the structured log and the metrics of a request.
 * See https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
public final class EmfDocument {
    private final String namespace;
    private final Instant timestamp;
    private final Map<String, String> dimensions = new LinkedHashMap<>();
    private final Map<String, String> metricUnits = new LinkedHashMap<>();
    private final ObjectNode root = Json.mapper().createObjectNode();

    public EmfDocument(String namespace, Instant timestamp) {
        this.namespace = namespace;
        this.timestamp = timestamp;
    }

    public EmfDocument dimension(String name, String value) {
        dimensions.put(name, value);
        root.put(name, value);
        return this;
    }

    public EmfDocument metric(String name, double value, String unit) {
        metricUnits.put(name, unit);
        root.put(name, value);
        return this;
    }

    public EmfDocument property(String name, String value) {
        root.put(name, value);
        return this;
    }

    public EmfDocument property(String name, long value) {
        root.put(name, value);
        return this;
    }

    public String toJson() {
        ObjectNode document = root.deepCopy();
        ObjectNode aws = document.putObject("_aws");
        aws.put("Timestamp", timestamp.toEpochMilli());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", namespace);
        ArrayNode dimensionSet = directive.putArray("Dimensions").addArray();
        dimensions.keySet().forEach(dimensionSet::add);
        ArrayNode metrics = directive.putArray("Metrics");
        metricUnits.forEach((name, unit) -> metrics.addObject().put("Name", name).put("Unit", unit));
        return document.toString();
    }
}
