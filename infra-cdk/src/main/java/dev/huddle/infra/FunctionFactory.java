package dev.huddle.infra;

import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * Builds the stack's functions from the one jar with the settings they all share, so a function
 * definition in a construct says only what is particular to it (handler, size, timeout, environment).
 * Database functions run in the VPC with DB_URL and DB_SECRET_ARN set and read access to the secret.
 */
final class FunctionFactory {
    private final Code code;
    private final RetentionDays logRetention;
    private final Network network;
    private final Database database;
    private final boolean snapStart;

    FunctionFactory(Code code, RetentionDays logRetention, Network network, Database database, boolean snapStart) {
        this.code = code;
        this.logRetention = logRetention;
        this.network = network;
        this.database = database;
        this.snapStart = snapStart;
    }

    /** A function that talks to PostgreSQL (through the RDS Proxy). */
    JavaFunction databaseFunction(Construct scope, String id, Spec spec) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("DB_URL", database.jdbcUrl());
        environment.put("DB_SECRET_ARN", database.secret().getSecretArn());
        environment.putAll(spec.environment());
        JavaFunction function = new JavaFunction(scope, id, new JavaFunction.Props(spec.handler(), spec.description(),
                spec.memoryMb(), spec.timeout(), environment, code, logRetention, network, spec.snapStart() && snapStart));
        database.secret().grantRead(function.role());
        return function;
    }

    /** A function outside the VPC: it calls only AWS APIs. */
    JavaFunction awsApiFunction(Construct scope, String id, Spec spec) {
        return new JavaFunction(scope, id, new JavaFunction.Props(spec.handler(), spec.description(),
                spec.memoryMb(), spec.timeout(), spec.environment(), code, logRetention, null, spec.snapStart() && snapStart));
    }

    /** What differs between functions. */
    record Spec(String handler, String description, int memoryMb, Duration timeout, Map<String, String> environment,
                boolean snapStart) {
        Spec(String handler, String description, int memoryMb, Duration timeout, Map<String, String> environment) {
            this(handler, description, memoryMb, timeout, environment, true);
        }
    }
}
