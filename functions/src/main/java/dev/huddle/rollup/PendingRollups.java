package dev.huddle.rollup;

import java.util.Set;

/** Which orgs have committed events beyond their rollup cursor (the sweep's question). */
@FunctionalInterface
public interface PendingRollups {

    Set<String> orgsWithPendingEvents() throws Exception;
}
