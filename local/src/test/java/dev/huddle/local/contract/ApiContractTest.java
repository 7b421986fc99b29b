package dev.huddle.local.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.atlassian.oai.validator.report.ValidationReport;
import dev.huddle.common.Json;
import dev.huddle.devservers.LatencyProxy;
import dev.huddle.local.contract.ContractCase.Auth;
import dev.huddle.local.contract.ContractCase.Call;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every answer of the real local stack checked against openapi.yaml: each row of {@link ContractCases} is
 * sent over HTTP and its status, headers and body are validated by the Atlassian OpenAPI validator, with
 * every finding an error. A status, header or field the spec does not describe fails; a call outside the
 * spec must get the gateway's 404 and nothing else.
 *
 * <p>Not produced here, and why: {@code 405 method_not_allowed} is the functions' answer to a method their
 * route does not take, but API Gateway (and the local front) match method and path first and answer 404;
 * API Gateway's own 413 over 10 MB, and its 500/503 when a function fails or is throttled, are not the
 * product's answers (the spec's info says so for the 404 and the 10 MB 413) and carry its
 * {@code {"message"}} body.
 */
class ApiContractTest {
    /** Slow enough that a few batch calls push the latency average over {@link ContractStack#DB_LATENCY_SLO}. */
    private static final Duration SLOW_ROUND_TRIP = Duration.ofMillis(200);
    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final Set<String> OUTSIDE_THE_SPEC = Set.of(
            "validation.request.path.missing", "validation.request.operation.notAllowed");

    private static ContractStack stack;
    private static ApiContract contract;
    private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void startTheStack() {
        stack = ContractStack.get();
        contract = new ApiContract();
    }

    static List<ContractCase> cases() {
        return ContractCases.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answer_isWhatTheContractPromises(ContractCase row) throws Exception {
        HttpResponse<byte[]> response = switch (row.condition()) {
            case NORMAL -> send(row.call());
            case BUCKET_EMPTY -> afterEmptyingTheBucket(row.call());
            case DATABASE_DOWN -> whileTheDatabaseIsDown(row.call());
            case DATABASE_SLOW -> onceTheDatabaseIsSlow(row.call());
        };

        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertThat(response.statusCode()).as("%s answered %s", row.name(), body).isEqualTo(row.status());
        ValidationReport report = contract.check(row.call().method(), row.call().path(), response);
        if (row.routeKey() == null) {
            assertThat(report.getMessages()).as("a call the spec does not describe").isNotEmpty()
                    .allSatisfy(message -> assertThat(message.getKey()).isIn(OUTSIDE_THE_SPEC));
        } else {
            assertThat(report.getMessages()).as("%s: the answer against openapi.yaml (%s %s)", row.name(),
                    response.statusCode(), body).isEmpty();
        }
        if (row.error() != null) {
            assertThat(Json.mapper().readTree(response.body()).path("error").asText()).isEqualTo(row.error());
        }
        if (row.condition() == ContractCase.Condition.DATABASE_SLOW) {
            assertThat(response.headers().firstValue("x-client-queue-lag")).as("the back-pressure hint").isPresent();
        }
    }

    @Test
    void everyRouteOfTheStack_isInTheSpec_andEveryDocumentedStatusHasARow() {
        Map<String, Set<Integer>> documented = contract.documentedStatuses();
        Map<String, Set<Integer>> covered = new TreeMap<>(ContractCases.all().stream()
                .filter(row -> row.routeKey() != null)
                .collect(Collectors.groupingBy(ContractCase::routeKey,
                        Collectors.mapping(ContractCase::status, Collectors.toCollection(TreeSet::new)))));

        assertThat(new TreeSet<>(stack.stack().routeKeys())).as("the stack's routes are the spec's operations")
                .isEqualTo(documented.keySet());
        assertThat(covered).as("statuses with a row in ContractCases, per operation").isEqualTo(documented);
    }

    @Test
    void everyApiGatewaySample_hasARow() throws IOException {
        try (Stream<Path> files = Files.list(ContractCases.SAMPLES)) {
            List<String> samples = files.map(file -> file.getFileName().toString())
                    .filter(name -> name.startsWith("apigw_v2_")).sorted().toList();
            assertThat(samples).isNotEmpty();
            assertThat(ContractCases.SAMPLE_ANSWERS.stream().map(ContractCases.Sample::file).sorted().toList()).isEqualTo(samples);
        }
    }

    private static HttpResponse<byte[]> afterEmptyingTheBucket(Call call) {
        for (int i = 0; i < ContractStack.RATE_LIMIT_BURST; i++) {
            assertThat(send(call).statusCode()).as("call %s of the burst", i + 1).isEqualTo(200);
        }
        return send(call);
    }

    private static HttpResponse<byte[]> whileTheDatabaseIsDown(Call call) {
        LatencyProxy database = stack.databaseProxy();
        database.startOutage();
        try {
            return send(call);
        } finally {
            database.endOutage();
        }
    }

    /**
     * Sends the call (as a new learner each time, so no bucket runs dry) until a 200 carries the hint, then
     * restores the speed and waits until the hint is gone: the latency average is one per JVM, shared with
     * the other stacks of this test run.
     */
    private static HttpResponse<byte[]> onceTheDatabaseIsSlow(Call call) {
        LatencyProxy database = stack.databaseProxy();
        AtomicReference<HttpResponse<byte[]>> last = new AtomicReference<>();
        database.latency(SLOW_ROUND_TRIP);
        try {
            await("a 200 with X-Client-Queue-Lag").atMost(SETTLE).until(() -> {
                last.set(send(asNewLearner(call)));
                return last.get().statusCode() != 200 || last.get().headers().firstValue("x-client-queue-lag").isPresent();
            });
        } finally {
            database.latency(Duration.ZERO);
        }
        await("a 200 without X-Client-Queue-Lag once the database is fast again").atMost(SETTLE)
                .until(() -> send(asNewLearner(call)).headers().firstValue("x-client-queue-lag").isEmpty());
        return last.get();
    }

    private static Call asNewLearner(Call call) {
        return call.as(new Auth.Token(ContractStack.freshLearner(), List.of(), 0));
    }

    private static HttpResponse<byte[]> send(Call call) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.stack().baseUrl() + call.pathAndQuery()))
                .timeout(Duration.ofSeconds(60))
                .method(call.method(), call.body().length == 0 ? BodyPublishers.noBody()
                        : BodyPublishers.ofByteArray(call.body()));
        call.headers().forEach(request::header);
        authorization(call.auth()).ifPresent(value -> request.header("Authorization", value));
        try {
            return client.send(request.build(), BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Optional<String> authorization(Auth auth) {
        return switch (auth) {
            case Auth.None none -> Optional.empty();
            case Auth.Raw raw -> Optional.of(raw.authorization());
            case Auth.Token token -> Optional.of("Bearer " + token(token.user(), token.adminOrgs(), token.ageMinutes()));
            case Auth.BadSignature forged -> Optional.of("Bearer " + withOtherSignature(token(forged.user(), List.of(), 0)));
        };
    }

    private static String token(String user, List<String> adminOrgs, int ageMinutes) {
        return stack.tokens().issue(user, Duration.ofMinutes(10), adminOrgs,
                Instant.now().minus(Duration.ofMinutes(ageMinutes)));
    }

    /** The JWT with the first character of its signature replaced (still base64url, no longer valid). */
    private static String withOtherSignature(String jwt) {
        int signature = jwt.lastIndexOf('.') + 1;
        char replacement = jwt.charAt(signature) == 'A' ? 'B' : 'A';
        return jwt.substring(0, signature) + replacement + jwt.substring(signature + 1);
    }
}
