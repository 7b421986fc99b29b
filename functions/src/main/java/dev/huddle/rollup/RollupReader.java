package dev.huddle.rollup;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/** Reads an org's daily rollups. */
@FunctionalInterface
interface RollupReader {

    /** The days of from..to (inclusive) that have rollups, in day order; empty when the org does not exist. */
    Optional<List<DailyRollup>> read(String orgId, LocalDate from, LocalDate to) throws Exception;
}
