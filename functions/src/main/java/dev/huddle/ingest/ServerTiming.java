package dev.huddle.ingest;

/**
 * The {@code Server-Timing} header (https://www.w3.org/TR/server-timing/) of an ingest answer: the handler's
 * own figures ({@link RequestCost}) in milliseconds, e.g. {@code total;dur=4.210, cpu;dur=0.410, db;dur=3.200}.
 * A phase that did not run is left out. Browsers show it in their devtools; the load test reads it to print
 * the handler's percentiles next to the end-to-end latency.
 *
 * <p>Sent only where {@code SERVER_TIMING=true} (the local stack sets it; the AWS stack does not): the
 * W3C note warns that timings tell an outsider about the server's internals (here: how busy the database
 * and the rate-limit table are), which a public API has no reason to give away; and on AWS the same
 * figures are in each request's log line anyway.
 */
final class ServerTiming {
    static final String HEADER = "Server-Timing";

    private ServerTiming() {
    }

    static String of(RequestCost cost) {
        StringBuilder header = new StringBuilder(160);
        for (CostFigure figure : CostFigure.ALL) {
            long micros = cost.micros(figure);
            if (micros == RequestCost.NOT_RUN) {
                continue;
            }
            if (!header.isEmpty()) {
                header.append(", ");
            }
            long fraction = micros % 1_000;
            header.append(figure.serverTimingName).append(";dur=").append(micros / 1_000).append('.')
                    .append(fraction < 100 ? (fraction < 10 ? "00" : "0") : "").append(fraction);
        }
        return header.toString();
    }
}
