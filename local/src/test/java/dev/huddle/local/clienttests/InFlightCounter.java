package dev.huddle.local.clienttests;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts, at the server, the requests in progress per path and the most there ever were at once: a filter
 * in front of the API routes of the local front, around the whole exchange (the function runs and the
 * answer is written inside it).
 */
final class InFlightCounter extends Filter {
    private final Map<String, AtomicInteger> now = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> most = new ConcurrentHashMap<>();

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        AtomicInteger current = now.computeIfAbsent(path, p -> new AtomicInteger());
        most.computeIfAbsent(path, p -> new AtomicInteger()).accumulateAndGet(current.incrementAndGet(), Math::max);
        try {
            chain.doFilter(exchange);
        } finally {
            current.decrementAndGet();
        }
    }

    /** The most requests that were in progress at once on {@code path} since the last reset. */
    int most(String path) {
        AtomicInteger value = most.get(path);
        return value == null ? 0 : value.get();
    }

    void reset() {
        most.clear();
    }

    @Override
    public String description() {
        return "counts requests in flight per path";
    }
}
