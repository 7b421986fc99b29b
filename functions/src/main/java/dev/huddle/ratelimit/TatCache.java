package dev.huddle.ratelimit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded, thread-safe map from user to a theoretical arrival time, least recently used evicted.
 * Forgetting an entry is always safe for its users: the DynamoDB bucket loses a shortcut, the local
 * bucket gives that user a full burst (the same as after a cold start).
 */
final class TatCache {

    /** No entry: a time far enough in the past to mean "idle" without overflowing arithmetic. */
    static final long UNKNOWN = Long.MIN_VALUE / 4;

    private final Map<String, Long> tats;

    TatCache(int maxUsers) {
        if (maxUsers < 1) {
            throw new IllegalArgumentException("maxUsers < 1: " + maxUsers);
        }
        this.tats = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > maxUsers;
            }
        });
    }

    long get(String userId) {
        Long tat = tats.get(userId);
        return tat == null ? UNKNOWN : tat;
    }

    /** Records {@code tat} unless a later one is known: a stored value never goes down. */
    void raise(String userId, long tat) {
        tats.merge(userId, tat, Math::max);
    }

    /**
     * Applies {@code update} to the user's value atomically (other users' updates wait) and returns
     * what it returned.
     */
    <T> T update(String userId, Update<T> update) {
        synchronized (tats) {
            long current = get(userId);
            Update.Result<T> result = update.apply(current);
            if (result.newTat() != current) {
                tats.put(userId, result.newTat());
            }
            return result.value();
        }
    }

    int size() {
        return tats.size();
    }

    @FunctionalInterface
    interface Update<T> {
        Result<T> apply(long currentTat);

        record Result<T>(long newTat, T value) {
        }
    }
}
