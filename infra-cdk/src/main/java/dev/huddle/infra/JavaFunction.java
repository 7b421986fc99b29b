package dev.huddle.infra;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.events.targets.LambdaFunctionProps;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * One Lambda function from the functions jar, the same way for every handler: managed java21 runtime on
 * arm64 (Graviton: about 20% cheaper per GB-second than x86 at equal or better speed for this code),
 * SnapStart on published versions with an alias {@value #ALIAS} that every trigger targets, its own log
 * group with a retention, and its own role that holds only what this function is granted (no AWS managed
 * policy: AWSLambdaBasicExecutionRole would allow writing to every log group of the account).
 */
public final class JavaFunction extends Construct {
    public static final String ALIAS = "live";

    private final Function function;
    private final Alias alias;
    private final Role role;

    /**
     * @param handler the handler class name (e.g. dev.huddle.ingest.IngestHandler)
     * @param memoryMb memory, which also buys CPU: 1,769 MB is one full vCPU
     * @param timeout the function's timeout
     * @param environment the function's environment (its settings record reads it, e.g. dev.huddle.ingest.IngestConfig)
     * @param network the VPC and security group for functions that reach the database; null for the rest
     * @param snapStart false only for one-shot functions (the migrations) and on LocalStack
     * @param reservedConcurrency reserved concurrency (its most execution environments), or null for none
     */
    public record Props(
            String handler,
            String description,
            int memoryMb,
            Duration timeout,
            Map<String, String> environment,
            Code code,
            RetentionDays logRetention,
            Network network,
            boolean snapStart,
            Integer reservedConcurrency) {
        public Props {
            Objects.requireNonNull(handler, "handler == null");
            Objects.requireNonNull(code, "code == null");
            environment = Map.copyOf(environment);
        }
    }

    public JavaFunction(Construct scope, String id, Props props) {
        super(scope, id);
        LogGroup logGroup = LogGroup.Builder.create(this, "Logs")
                .retention(props.logRetention())
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        role = Role.Builder.create(this, "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("Runs " + props.handler())
                .build();
        // Writes only to its own log group (the log group exists: no logs:CreateLogGroup).
        logGroup.grantWrite(role);
        if (props.network() != null) {
            // Lambda creates and removes the function's network interfaces with the function's role. EC2's
            // Describe* calls accept no resource ARN, and the interfaces do not exist before Lambda creates
            // them, so AWS documents these actions on "*" (the same as AWSLambdaVPCAccessExecutionRole).
            role.addToPolicy(PolicyStatement.Builder.create()
                    .sid("LambdaVpcNetworkInterfaces")
                    .effect(Effect.ALLOW)
                    .actions(List.of("ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces",
                            "ec2:DescribeSubnets", "ec2:DeleteNetworkInterface",
                            "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"))
                    .resources(List.of("*"))
                    .build());
        }

        Map<String, String> environment = new LinkedHashMap<>(props.environment());
        Function.Builder builder = Function.Builder.create(this, "Function")
                .runtime(Runtime.JAVA_21)
                .architecture(Architecture.ARM_64)
                .handler(props.handler())
                .description(props.description())
                .code(props.code())
                .memorySize(props.memoryMb())
                .timeout(props.timeout())
                .environment(environment)
                .role(role)
                .logGroup(logGroup);
        if (props.reservedConcurrency() != null) {
            builder.reservedConcurrentExecutions(props.reservedConcurrency());
        }
        if (props.snapStart()) {
            builder.snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS);
        }
        if (props.network() != null) {
            builder.vpc(props.network().vpc())
                    .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_ISOLATED).build())
                    .securityGroups(List.of(props.network().functionsSecurityGroup()));
        }
        function = builder.build();
        // currentVersion publishes a new version whenever the code or configuration changes; SnapStart
        // snapshots published versions only, so triggers must go through a version: the alias.
        if (props.snapStart()) {
            Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                    "versions are published through currentVersion and invoked through the alias");
        }
        NagExemptions.suppressWithChildren(function, "AwsSolutions-L1",
                "java21 is the functions' target runtime (built with --release 21, the contract's managed runtime); "
                        + "moving to a newer Java runtime is a change of the functions' build, not of the stack");
        if (props.network() != null) {
            NagExemptions.suppressWithChildren(role, "AwsSolutions-IAM5",
                    "EC2 network interface actions for Lambda in a VPC: Describe* take no resource ARN and the "
                            + "interfaces do not exist before Lambda creates them (AWS documents them on *)",
                    "Resource::*");
        }
        alias = Alias.Builder.create(this, "Alias")
                .aliasName(ALIAS)
                .version(function.getCurrentVersion())
                .build();
    }

    public Function function() {
        return function;
    }

    /** What every trigger invokes (API routes, schedules, the queue's event source mapping). */
    public Alias alias() {
        return alias;
    }

    public Role role() {
        return role;
    }

    /**
     * An EventBridge rule that invokes the alias on a schedule, in the caller's scope.
     *
     * @param retryAttempts EventBridge retries of a failed asynchronous invocation
     */
    public Rule invokeOnSchedule(Construct scope, String id, String description, Schedule schedule, int retryAttempts) {
        return Rule.Builder.create(scope, id)
                .description(description)
                .schedule(schedule)
                .targets(List.of(new LambdaFunction(alias, LambdaFunctionProps.builder().retryAttempts(retryAttempts).build())))
                .build();
    }
}
