package dev.huddle.local;

import dev.huddle.local.jwt.JwtSettings;
import dev.huddle.local.jwt.SigningKeyStore;
import dev.huddle.local.jwt.TokenIssuer;
import dev.huddle.ops.target.StateDirectory;
import dev.huddle.perf.options.DurationConverter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Prints a token the local stack in --state-dir accepts, signed with that stack's key. */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = {
            "Prints a signed JWT (RS256) for a learner, accepted by the local stack.",
            "Use it as: curl -H \"Authorization: Bearer $(java -jar local/target/local-stack.jar token --user learner-0001)\" ...",
            "Environment: " + JwtSettings.KEY_FILE_ENV + " (signing key file), " + JwtSettings.ISSUER_ENV + ", "
                    + JwtSettings.AUDIENCE_ENV + " (must match the running stack's)."
        })
final class TokenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StateDirectory stateDirectory;

    @Option(names = "--user", required = true, paramLabel = "USER_ID",
            description = "The learner's user id (the token's sub claim), e.g. learner-0001.")
    String user;

    @Option(names = "--ttl", defaultValue = "1h", converter = DurationConverter.class,
            description = "How long the token is valid (90s, 15m, 1h, 7d; default ${DEFAULT-VALUE}).")
    Duration ttl;

    @Option(names = "--admin-org", paramLabel = "ORG_ID",
            description = "Grants admin on this org (repeatable): adds \"admin:<org>\" to the scope claim.")
    List<String> adminOrgs = new ArrayList<>();

    @Override
    public Integer call() {
        if (user.isBlank()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--user must not be blank");
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--ttl must be positive");
        }
        JwtSettings settings = JwtSettings.ofStack(stateDirectory, System.getenv());
        TokenIssuer issuer = new TokenIssuer(SigningKeyStore.loadOrCreate(settings.keyFile()), settings);
        spec.commandLine().getOut().println(issuer.issue(user, ttl, adminOrgs, Instant.now()));
        spec.commandLine().getOut().flush();
        return ExitCode.OK;
    }
}
