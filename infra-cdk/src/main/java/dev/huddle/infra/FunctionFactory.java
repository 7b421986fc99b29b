package dev.huddle.infra;

import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.constructs.Construct;

/**
 * Builds the stack's functions, each from its {@link FunctionFamily}'s jar, with the settings they all share, so a function
 * definition in a construct says only what is particular to it (handler, size, timeout, environment).
 * Database functions run in the VPC with DB_URL and DB_SECRET_ARN set: the secret of their own
 * {@link DatabaseRole}, the only secret they may read.
 */
final class FunctionFactory {
    private final Map<FunctionFamily, Code> code;
    private final RetentionDays logRetention;
    private final Network network;
    private final Database database;
    private final boolean snapStart;

    FunctionFactory(Map<FunctionFamily, Code> code, RetentionDays logRetention, Network network, Database database, boolean snapStart) {
        this.code = code;
        this.logRetention = logRetention;
        this.network = network;
        this.database = database;
        this.snapStart = snapStart;
    }

    /** A function that talks to PostgreSQL (through the RDS Proxy) as {@code role}. */
    JavaFunction databaseFunction(Construct scope, String id, DatabaseRole role, Spec spec) {
        return inVpc(scope, id, database.secret(role), Map.of(), spec);
    }

    /**
     * The migrations: the admin secret (DB_SECRET_ARN) to create the roles, and every role's secret
     * (DB_ROLE_SECRET_ARNS, a JSON object of role name to secret ARN) to set their passwords and to run
     * the migrations as {@link DatabaseRole#MIGRATOR}.
     */
    JavaFunction migrationsFunction(Construct scope, String id, Spec spec) {
        Map<String, String> arns = new LinkedHashMap<>();
        database.roleSecrets().forEach((roleName, secret) -> arns.put(roleName, secret.getSecretArn()));
        JavaFunction function = inVpc(scope, id, database.adminSecret(),
                Map.of("DB_ROLE_SECRET_ARNS", Stack.of(scope).toJsonString(arns)), spec);
        database.roleSecrets().values().forEach(secret -> secret.grantRead(function.role()));
        return function;
    }

    private JavaFunction inVpc(Construct scope, String id, ISecret secret, Map<String, String> extra, Spec spec) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("DB_URL", database.jdbcUrl());
        environment.put("DB_SSL_MODE", database.sslMode());
        environment.put("DB_SECRET_ARN", secret.getSecretArn());
        environment.putAll(extra);
        environment.putAll(spec.environment());
        JavaFunction function = new JavaFunction(scope, id, props(spec, environment, network));
        secret.grantRead(function.role());
        return function;
    }

    /** A function outside the VPC: it calls only AWS APIs. */
    JavaFunction awsApiFunction(Construct scope, String id, Spec spec) {
        return new JavaFunction(scope, id, props(spec, spec.environment(), null));
    }

    private JavaFunction.Props props(Spec spec, Map<String, String> environment, Network vpc) {
        return new JavaFunction.Props(spec.handler(), spec.description(), spec.memoryMb(), spec.timeout(), environment,
                code.get(spec.family()), logRetention, vpc, spec.snapStart() && snapStart, spec.reservedConcurrency());
    }

    /**
     * What differs between functions.
     *
     * @param family the jar the function runs from: the one that holds its handler's dependencies
     * @param reservedConcurrency the function's reserved concurrency, or null for the account's unreserved pool
     */
    record Spec(FunctionFamily family, String handler, String description, int memoryMb, Duration timeout,
                Map<String, String> environment, boolean snapStart, Integer reservedConcurrency) {
        Spec(FunctionFamily family, String handler, String description, int memoryMb, Duration timeout,
             Map<String, String> environment) {
            this(family, handler, description, memoryMb, timeout, environment, true, null);
        }

        Spec withoutSnapStart() {
            return new Spec(family, handler, description, memoryMb, timeout, environment, false, reservedConcurrency);
        }

        Spec withReservedConcurrency(int concurrency) {
            return new Spec(family, handler, description, memoryMb, timeout, environment, snapStart, concurrency);
        }
    }
}
