package dev.huddle.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.huddle.common.Json;
import dev.huddle.common.http.HttpResponse;
import dev.huddle.common.observability.LatencyEwma;
import dev.huddle.dbapi.DailyQuotaCharge;
import dev.huddle.ratelimit.RateLimitDecision;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the hostile corpus against any {@link EventStore}: a subclass supplies the store (the recording
 * fake here; the real PostgreSQL store in an integration test). Every case must get its documented 4xx,
 * or a 200 that rejects every event for the documented reasons; never a 500, and the store is never
 * called, because nothing in the corpus may be written.
 */
public abstract class HostileCorpusContract {
    protected static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);

    /** The store under test; called once per case. */
    protected abstract EventStore store();

    static Stream<HostileCase> cases() {
        return HostileCase.load().stream();
    }

    @Test
    void corpusShouldHoldAtLeastFortyCases() {
        assertThat(HostileCase.load()).hasSizeGreaterThanOrEqualTo(40);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusesOrRejectsHostileRequest_withoutWritingAnything(HostileCase hostile) throws Exception {
        CountingStore counting = new CountingStore(store());
        List<String> logLines = new ArrayList<>();
        IngestService service = new IngestService(IngestConfig.from(Map.of()), user -> RateLimitDecision.allow(), counting,
                CLOCK, new LatencyEwma(), logLines::add);

        HttpResponse response = service.handle(hostile.route(), hostile.request());

        assertThat(response.status()).as("status (body %s)", response.body()).isEqualTo(hostile.expectedStatus());
        JsonNode body = Json.mapper().readTree(response.body());
        if (hostile.expectedStatus() == 200) {
            assertThat(body.get("accepted")).isEmpty();
            assertThat(body.get("duplicates")).isEmpty();
            List<String> reasons = new ArrayList<>();
            body.get("rejected").forEach(r -> reasons.add(r.get("reason").asText()));
            assertThat(reasons).isEqualTo(hostile.expectedRejections());
        } else {
            assertThat(body.get("error").asText()).isEqualTo(hostile.expectedError());
        }
        assertThat(counting.calls).as("store calls").isZero();
        assertThat(logLines).singleElement().asString().doesNotContain("hostile-0001");
    }

    /** Counts calls and passes them on to the store under test. */
    private static final class CountingStore implements EventStore {
        private final EventStore delegate;
        int calls;

        CountingStore(EventStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public StoreResult storeProgress(String userId, List<ProgressEvent> events, OptionalInt depth,
                DailyQuotaCharge quota) {
            calls++;
            return delegate.storeProgress(userId, events, depth, quota);
        }

        @Override
        public StoreResult storeAnalytics(String userId, List<AnalyticsEvent> events, OptionalInt depth,
                DailyQuotaCharge quota) {
            calls++;
            return delegate.storeAnalytics(userId, events, depth, quota);
        }
    }
}
