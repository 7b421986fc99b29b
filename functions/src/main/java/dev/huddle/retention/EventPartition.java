package dev.huddle.retention;

import java.time.LocalDate;
import java.util.Objects;

/**
 * One daily partition of an event table ({@code huddle.progress_events_p20261027}), as retention sees
 * it. {@code attached} is false for a partition that was detached but not yet dropped.
 */
public record EventPartition(String parentTable, String name, LocalDate day, boolean attached) {
    public EventPartition {
        Objects.requireNonNull(parentTable, "parentTable == null");
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(day, "day == null");
        // Names reach SQL as identifiers: accept only what ensure_event_partitions creates.
        if (!name.matches("(progress_events|analytics_events)_p\\d{8}") || !name.startsWith(parentTable + "_p")) {
            throw new IllegalArgumentException("not an event partition of " + parentTable + ": " + name);
        }
    }

    /** The schema-qualified name, safe to splice into SQL (validated above). */
    String qualifiedName() {
        return "huddle." + name;
    }
}
