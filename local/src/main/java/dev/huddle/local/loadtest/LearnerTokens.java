package dev.huddle.local.loadtest;

import dev.huddle.local.jwt.TokenIssuer;
import dev.huddle.sql.DemoData;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

/** One bearer token per learner, signed once before the run (RS256 signing costs a millisecond each). */
final class LearnerTokens {
    private final String[] tokens;

    private LearnerTokens(String[] tokens) {
        this.tokens = tokens;
    }

    static LearnerTokens issue(TokenIssuer issuer, int learners, Duration ttl) {
        Instant now = Instant.now();
        String[] tokens = IntStream.rangeClosed(1, learners).parallel()
                .mapToObj(n -> issuer.issue(DemoData.learner(n).userId(), ttl, List.of(), now))
                .toArray(String[]::new);
        return new LearnerTokens(tokens);
    }

    String of(DemoData.Learner learner) {
        return tokens[learner.number() - 1];
    }
}
