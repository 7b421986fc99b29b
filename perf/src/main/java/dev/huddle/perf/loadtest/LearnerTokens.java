package dev.huddle.perf.loadtest;

import dev.huddle.sql.DemoData;
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
                .mapToObj(n -> signer.sign(DemoData.learner(n).userId(), ttl, now))
                .toArray(String[]::new);
        return new LearnerTokens(tokens);
    }

    String of(DemoData.Learner learner) {
        return tokens[learner.number() - 1];
    }
}
