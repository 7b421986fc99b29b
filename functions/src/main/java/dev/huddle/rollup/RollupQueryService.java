package dev.huddle.rollup;

import dev.huddle.common.DependencyUnavailableException;
import dev.huddle.common.http.ErrorCode;
import dev.huddle.common.http.HttpResponse;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The admin read of an org's rollups, free of Lambda types. Checks in order: a token (401), admin on
 * that org - the {@code scope} claim, space-separated, holds {@code admin:<orgId>} (403) - the dates
 * (400: missing, not YYYY-MM-DD, from after to, or more than 366 days), the org (404). Answers every
 * day of the range, days without events as zeros. An unreachable database is a 503 with {@code Retry-After},
 * any other failure a 500 without detail.
 */
final class RollupQueryService {
    public static final int MAX_DAYS = 366;

    private final RollupReader reader;
    private final int retryAfterSeconds;

    public RollupQueryService(RollupReader reader, int retryAfterSeconds) {
        this.reader = reader;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The response body, serialized by Jackson. */
    public record RollupsBody(String orgId, String from, String to, List<DayBody> days) {
    }

    public record DayBody(String day, long activeLearners, long lessonsCompleted, long coursesCompleted,
                          long timeSpentSeconds, long eventsTotal, Map<String, Long> events) {
    }

    public HttpResponse handle(Map<String, String> claims, String orgId, String fromText, String toText) {
        try {
            return answer(claims, orgId, fromText, toText);
        } catch (DependencyUnavailableException e) {
            return HttpResponse.error(ErrorCode.SERVICE_UNAVAILABLE, "The database is unavailable; retry later")
                    .withHeader("Retry-After", Integer.toString(retryAfterSeconds));
        } catch (RuntimeException e) {
            return HttpResponse.error(ErrorCode.INTERNAL_ERROR, "Internal error");
        }
    }

    private HttpResponse answer(Map<String, String> claims, String orgId, String fromText, String toText) {
        String subject = claims.get("sub");
        if (subject == null || subject.isBlank()) {
            return HttpResponse.error(ErrorCode.UNAUTHORIZED, "A valid bearer token is required");
        }
        if (orgId == null || !isAdminOf(claims.get("scope"), orgId)) {
            return HttpResponse.error(ErrorCode.FORBIDDEN, "The token grants no admin right on this org");
        }
        Optional<LocalDate> from = parseDate(fromText);
        Optional<LocalDate> to = parseDate(toText);
        if (from.isEmpty() || to.isEmpty()) {
            return HttpResponse.error(ErrorCode.INVALID_QUERY, "from and to are required, as YYYY-MM-DD");
        }
        if (from.get().isAfter(to.get())) {
            return HttpResponse.error(ErrorCode.INVALID_QUERY, "from must not be after to");
        }
        if (ChronoUnit.DAYS.between(from.get(), to.get()) + 1 > MAX_DAYS) {
            return HttpResponse.error(ErrorCode.INVALID_QUERY, "At most " + MAX_DAYS + " days per request");
        }
        Optional<List<DailyRollup>> rollups;
        try {
            rollups = reader.read(orgId, from.get(), to.get());
        } catch (DependencyUnavailableException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("rollup read failed", e);
        }
        if (rollups.isEmpty()) {
            return HttpResponse.error(ErrorCode.NOT_FOUND, "No such org");
        }
        return HttpResponse.json(200, new RollupsBody(orgId, from.get().toString(), to.get().toString(),
                zeroFilled(from.get(), to.get(), rollups.get())));
    }

    static boolean isAdminOf(String scope, String orgId) {
        return scope != null && Arrays.asList(scope.trim().split("\\s+")).contains("admin:" + orgId);
    }

    /** Strictly YYYY-MM-DD (ISO_LOCAL_DATE would also accept a leading '+' and longer years). */
    private static Optional<LocalDate> parseDate(String text) {
        if (text == null || !text.matches("\\d{4}-\\d{2}-\\d{2}")) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static List<DayBody> zeroFilled(LocalDate from, LocalDate to, List<DailyRollup> stored) {
        Map<LocalDate, DailyRollup> byDay = new HashMap<>();
        stored.forEach(r -> byDay.put(r.day(), r));
        List<DayBody> days = new ArrayList<>();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            DailyRollup r = byDay.getOrDefault(day, DailyRollup.empty(day));
            days.add(new DayBody(day.toString(), r.activeLearners(), r.lessonsCompleted(), r.coursesCompleted(),
                    r.timeSpentSeconds(), r.eventsTotal(), new TreeMap<>(r.events())));
        }
        return days;
    }
}
