package dev.huddle.ratelimit;

/**
 * The token bucket as GCRA (generic cell rate algorithm): instead of a token count and a refill time,
 * one number per user, the theoretical arrival time {@code tat} (epoch milliseconds) at which the
 * bucket would be full again.
 *
 * <p>With {@code interval = 1000 / rate} and {@code tolerance = (burst - 1) * interval}, a request at
 * {@code now} is admitted iff {@code max(tat, now) <= now + tolerance}, and then
 * {@code tat' = max(tat, now) + interval}. From a full bucket the k-th request at once sees
 * {@code tat = now + (k - 1) * interval}, so exactly {@code burst} are admitted, then one per interval.
 * {@code tat} only ever grows, which is what lets callers cache it as a lower bound.
 */
record Gcra(long intervalMillis, long toleranceMillis) {

    Gcra {
        if (intervalMillis < 1) {
            throw new IllegalArgumentException("intervalMillis < 1: " + intervalMillis);
        }
        if (toleranceMillis < 0) {
            throw new IllegalArgumentException("toleranceMillis < 0: " + toleranceMillis);
        }
    }

    /**
     * The limits as configured. The interval is rounded to whole milliseconds (5/s → 200 ms exactly;
     * 3/s → 333 ms, i.e. 3.003/s), and a rate above 1000/s is treated as 1000/s.
     */
    static Gcra of(double ratePerSecond, int burst) {
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("ratePerSecond must be positive and finite: " + ratePerSecond);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst < 1: " + burst);
        }
        long interval = Math.max(1, Math.round(1000.0 / ratePerSecond));
        return new Gcra(interval, (burst - 1) * interval);
    }

    /** The largest stored {@code tat} that still admits a request at {@code now}. */
    long latestAdmissibleTat(long now) {
        return now + toleranceMillis;
    }

    boolean admits(long tat, long now) {
        return Math.max(tat, now) <= latestAdmissibleTat(now);
    }

    /** The {@code tat} after admitting a request at {@code now}. */
    long afterAdmission(long tat, long now) {
        return Math.max(tat, now) + intervalMillis;
    }

    /** Whole seconds until a refused request would be admitted (at {@code tat - tolerance}), at least 1. */
    int retryAfterSeconds(long tat, long now) {
        long waitMillis = tat - latestAdmissibleTat(now);
        long seconds = Math.ceilDiv(Math.max(waitMillis, 1), 1000L);
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, seconds));
    }
}
