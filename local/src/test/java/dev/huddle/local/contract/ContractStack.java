package dev.huddle.local.contract;

import dev.huddle.devservers.LatencyProxy;
import dev.huddle.local.StartupProgress;
import dev.huddle.local.gateway.LocalFunction;
import dev.huddle.local.jwt.SigningKeyStore;
import dev.huddle.local.jwt.TokenIssuer;
import dev.huddle.local.stack.BackgroundSettings;
import dev.huddle.local.stack.EmulatedStack;
import dev.huddle.local.stack.EmulatedStackOptions;
import dev.huddle.local.stack.SharedTestStack;
import dev.huddle.sql.DemoData;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The whole local stack for the contract test, started once per test JVM: the functions reach PostgreSQL
 * through the stack's {@link LatencyProxy} (so a case can take the database down or slow it), and the rate
 * limit is tight enough to reach 429 with a few requests, yet every case has a learner of its own.
 */
final class ContractStack {
    /** Three requests per learner, then one more every 100 s: the fourth request of a learner gets 429. */
    static final int RATE_LIMIT_BURST = 3;
    /** Low, so a slowed database is "slow" (X-Client-Queue-Lag) after a few calls. */
    static final Duration DB_LATENCY_SLO = Duration.ofMillis(100);
    /** Demo learners learner-0001..learner-5000 exist; other end-to-end tests use the low numbers. */
    private static final AtomicInteger nextLearner = new AtomicInteger(2000);

    private static ContractStack instance;

    private final EmulatedStack stack;
    private final TokenIssuer tokens;

    private ContractStack(EmulatedStack stack, TokenIssuer tokens) {
        this.stack = stack;
        this.tokens = tokens;
    }

    static synchronized ContractStack get() {
        if (instance == null) {
            EmulatedStack stack = EmulatedStack.start(new EmulatedStackOptions(SharedTestStack.temporaryDirectory("contract-stack"), "127.0.0.1", 0, 16,
                    LocalFunction.DEFAULT_MAX_ENVIRONMENTS, false, BackgroundSettings.defaults(), Duration.ZERO,
                    Map.of("RATE_LIMIT_BURST", Integer.toString(RATE_LIMIT_BURST),
                            "RATE_LIMIT_PER_SECOND", "0.01",
                            "DB_LATENCY_SLO_MS", Long.toString(DB_LATENCY_SLO.toMillis()),
                            // A loaded 2-core machine: see SharedTestStack.
                            "DYNAMODB_TIMEOUT_MS", "3000")),
                    StartupProgress.silent());
            instance = new ContractStack(stack,
                    new TokenIssuer(SigningKeyStore.loadOrCreate(stack.jwt().keyFile()), stack.jwt()));
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "contract-stack-stop"));
        }
        return instance;
    }

    EmulatedStack stack() {
        return stack;
    }

    TokenIssuer tokens() {
        return tokens;
    }

    LatencyProxy databaseProxy() {
        return stack.databaseProxy().orElseThrow();
    }

    /** A demo learner no other case of this JVM has used: its own token bucket. */
    static String freshLearner() {
        return DemoData.learner(nextLearner.getAndIncrement()).userId();
    }
}
