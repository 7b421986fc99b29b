package dev.huddle.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.huddle.common.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

class FailOpenRateLimiterTest {

    private final MutableClock clock = MutableClock.atEpochMillis(1_700_000_000_000L);
    private final List<FallbackRecorder.Cause> recorded = new ArrayList<>();
    private final AtomicInteger primaryCalls = new AtomicInteger();
    private volatile boolean primaryDown;
    private final RateLimiter primary = userId -> {
        primaryCalls.incrementAndGet();
        if (primaryDown) {
            throw ApiCallTimeoutException.create(300);
        }
        return RateLimitDecision.refuse(7);
    };
    private final FailOpenRateLimiter limiter = new FailOpenRateLimiter(primary,
            new LocalTokenBucket(Gcra.of(5, 2), clock),
            new CircuitBreaker(Duration.ofSeconds(5), clock),
            (cause, errorType) -> recorded.add(cause));

    @Test
    void answersWithThePrimaryDecision_whileItWorks() {
        assertThat(limiter.tryAcquire("learner-1")).isEqualTo(RateLimitDecision.refuse(7));
        assertThat(recorded).isEmpty();
    }

    @Test
    void fallsBackToTheLocalBucket_whenThePrimaryFails() {
        primaryDown = true;
        assertThat(limiter.tryAcquire("learner-1").allowed()).isTrue();
        assertThat(recorded).containsExactly(FallbackRecorder.Cause.DYNAMODB_ERROR);
    }

    @Test
    void skipsThePrimaryWhileTheBreakerIsOpen_andStillLimitsLocally() {
        primaryDown = true;
        List<Boolean> allowed = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            allowed.add(limiter.tryAcquire("learner-1").allowed());
        }
        assertThat(primaryCalls).hasValue(1);
        assertThat(allowed).containsExactly(true, true, false, false);
        assertThat(recorded).containsExactly(FallbackRecorder.Cause.DYNAMODB_ERROR,
                FallbackRecorder.Cause.CIRCUIT_OPEN, FallbackRecorder.Cause.CIRCUIT_OPEN,
                FallbackRecorder.Cause.CIRCUIT_OPEN);
    }

    @Test
    void returnsToThePrimary_whenTheProbeAfterTheOpenPeriodSucceeds() {
        primaryDown = true;
        limiter.tryAcquire("learner-1");
        primaryDown = false;
        clock.advance(Duration.ofSeconds(5));
        assertThat(limiter.tryAcquire("learner-1")).isEqualTo(RateLimitDecision.refuse(7));
        assertThat(limiter.tryAcquire("learner-1")).isEqualTo(RateLimitDecision.refuse(7));
        assertThat(primaryCalls).hasValue(3);
    }

    @Test
    void letsProgrammingErrorsThrough_insteadOfHidingThemInTheFallback() {
        FailOpenRateLimiter broken = new FailOpenRateLimiter(userId -> {
            throw new IllegalStateException("bug");
        }, new LocalTokenBucket(Gcra.of(5, 2), clock), new CircuitBreaker(Duration.ofSeconds(5), clock),
                (cause, errorType) -> recorded.add(cause));
        assertThatThrownBy(() -> broken.tryAcquire("learner-1")).isInstanceOf(IllegalStateException.class);
        assertThat(recorded).isEmpty();
    }

    /**
     * HttpURLConnection throws a NullPointerException, bare or wrapped in a RuntimeException, when the SDK's
     * timeout aborts its connection; one came out of the SDK call as a 500 under load. A client that fails
     * inside the SDK is DynamoDB not answering: fall back, as for a timeout.
     */
    @Test
    void fallsBack_whenTheSdksHttpClientFailsWithANonSdkException() {
        List<String> errorTypes = new ArrayList<>();
        for (RuntimeException failure : List.of(new NullPointerException(),
                new RuntimeException(new NullPointerException()))) {
            FailOpenRateLimiter real = new FailOpenRateLimiter(
                    new DynamoDbTokenBucket(failingDynamoDb(failure), "rate-limits", 5, 2, clock),
                    new LocalTokenBucket(Gcra.of(5, 2), clock), new CircuitBreaker(Duration.ofSeconds(5), clock),
                    (cause, errorType) -> {
                        recorded.add(cause);
                        errorTypes.add(errorType);
                    });

            assertThat(real.tryAcquire("learner-1").allowed()).as(failure.toString()).isTrue();
        }
        assertThat(recorded).containsExactly(FallbackRecorder.Cause.DYNAMODB_ERROR, FallbackRecorder.Cause.DYNAMODB_ERROR);
        assertThat(errorTypes).containsOnly("SdkClientException");
    }

    /** A DynamoDB client whose every UpdateItem fails with {@code failure}, as a broken HTTP client would. */
    private static DynamoDbClient failingDynamoDb(RuntimeException failure) {
        return new DynamoDbClient() {
            @Override
            public UpdateItemResponse updateItem(UpdateItemRequest request) {
                throw failure;
            }

            @Override
            public String serviceName() {
                return SERVICE_NAME;
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void writesOneEmfLinePerFallback_withoutUserOrMessage() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FallbackRecorder.emfTo(new PrintStream(out, true, StandardCharsets.UTF_8), clock)
                .record(FallbackRecorder.Cause.DYNAMODB_ERROR, "ApiCallTimeoutException");

        String line = out.toString(StandardCharsets.UTF_8).strip();
        var json = Json.mapper().readTree(line);
        assertThat(json.path("RateLimiterFallback").asInt()).isEqualTo(1);
        assertThat(json.path("cause").asText()).isEqualTo("dynamodb_error");
        assertThat(json.path("errorType").asText()).isEqualTo("ApiCallTimeoutException");
        assertThat(json.at("/_aws/CloudWatchMetrics/0/Metrics/0/Name").asText()).isEqualTo("RateLimiterFallback");
        assertThat(json.at("/_aws/Timestamp").asLong()).isEqualTo(clock.millis());
        assertThat(line).doesNotContain("learner");
    }

    @Test
    void fallsBack_onThrottlingAnd5xxAndTimeouts() {
        List<SdkException> outages = List.of(ApiCallTimeoutException.create(300),
                SdkClientException.create("Unable to execute HTTP request: Connection refused"),
                serviceError(400, "ProvisionedThroughputExceededException"), serviceError(400, "ThrottlingException"),
                serviceError(500, "InternalServerError"), serviceError(503, "ServiceUnavailable"));
        for (SdkException outage : outages) {
            assertThat(FailOpenRateLimiter.isUnavailability(outage)).as(outage.toString()).isTrue();
        }
    }

    @Test
    void doesNotFallBack_onAValidationOrPermissionError_andOpensNoBreaker() {
        for (SdkException fault : List.of(serviceError(400, "ValidationException"),
                serviceError(400, "ResourceNotFoundException"), serviceError(400, "AccessDeniedException"))) {
            CircuitBreaker breaker = new CircuitBreaker(Duration.ofSeconds(5), clock);
            FailOpenRateLimiter faulty = new FailOpenRateLimiter(userId -> {
                throw fault;
            }, new LocalTokenBucket(Gcra.of(5, 2), clock), breaker, (cause, errorType) -> recorded.add(cause));

            assertThatThrownBy(() -> faulty.tryAcquire("learner-1")).isSameAs(fault);
            assertThat(breaker.isOpen()).isFalse();
        }
        assertThat(recorded).isEmpty();
    }

    @Test
    void propagatesDynamoDbsOwnValidationError_fromARealServer() {
        // dynalite refuses a partition key over 2,048 bytes as DynamoDB does; ingest answers 401 before that.
        try (DynamoDbClient dynamoDb = TestDynamo.countingClient(new TestDynamo.UpdateItemCounter())) {
            String table = TestDynamo.newTable(dynamoDb);
            FailOpenRateLimiter real = new FailOpenRateLimiter(new DynamoDbTokenBucket(dynamoDb, table, 5, 2, clock),
                    new LocalTokenBucket(Gcra.of(5, 2), clock), new CircuitBreaker(Duration.ofSeconds(5), clock),
                    (cause, errorType) -> recorded.add(cause));

            assertThatThrownBy(() -> real.tryAcquire("x".repeat(3_000))).isInstanceOf(DynamoDbException.class)
                    .satisfies(e -> assertThat(((DynamoDbException) e).statusCode()).isEqualTo(400));
            assertThat(recorded).isEmpty();
        }
    }

    private static SdkException serviceError(int status, String code) {
        return DynamoDbException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code).build())
                .message(code).build();
    }
}
