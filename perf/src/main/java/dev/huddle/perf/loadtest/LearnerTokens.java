package dev.huddle.perf.loadtest;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.IntStream;

/** One bearer token per learner, signed once before the run (RS256 signing costs a millisecond each). */
final class LearnerTokens {
    private final String[] tokens;

    private LearnerTokens(String[] tokens) {
        this.tokens = tokens;
    }

    static LearnerTokens issue(LoadTarget.TokenSigner signer, int learners, Duration ttl) {
        Instant now = Instant.now();
        String[] tokens = IntStream.rangeClosed(1, learners).parallel()
                .mapToObj(n -> signer.sign(new DemoLearner(n).userId(), ttl, now))
                .toArray(String[]::new);
        return new LearnerTokens(tokens);
    }

    String of(DemoLearner learner) {
        return tokens[learner.number() - 1];
    }
}
