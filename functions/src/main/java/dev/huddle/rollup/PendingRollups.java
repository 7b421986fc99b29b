package dev.huddle.rollup;

import java.util.Set;

/** Which orgs have committed events beyond their rollup cursor (the sweep's question). */
@FunctionalInterface
interface PendingRollups {

    Set<String> orgsWithPendingEvents() throws Exception;
}
