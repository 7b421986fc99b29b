package dev.huddle.infra;

import java.util.List;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.FlowLogTrafficType;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpoint;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.IpAddresses;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * The VPC: two AZs, isolated subnets only, no NAT gateway. Nothing in the stack needs the internet; the
 * functions in the VPC reach AWS services through endpoints instead:
 * <ul>
 *   <li>S3 and DynamoDB through gateway endpoints: free, route-table entries (retention's snapshots,
 *       ingest's rate limit).</li>
 *   <li>SQS (ingest's fan-out, the sweep, the worker's continuations) and Secrets Manager (the database
 *       credentials, and the secret rotation) through interface endpoints: about $0.01 per AZ-hour each,
 *       so 2 endpoints × 2 AZs ≈ $29/month plus $0.01/GB, against about $33/month per NAT gateway (one per
 *       AZ for resilience: $66) plus $0.045/GB processed — and no route to the internet at all.</li>
 * </ul>
 * Lambda delivers function logs itself, so no CloudWatch Logs endpoint is needed.
 */
public final class Network extends Construct {
    /** A literal (not the VPC's token) so security group rules and cdk-nag can read it at synth. */
    public static final String CIDR = "10.40.0.0/16";
    private final Vpc vpc;
    private final SecurityGroup functionsSecurityGroup;
    private final InterfaceVpcEndpoint secretsManagerEndpoint;

    public Network(Construct scope, String id, RetentionDays logRetention) {
        super(scope, id);
        vpc = Vpc.Builder.create(this, "Vpc")
                .ipAddresses(IpAddresses.cidr(CIDR))
                .maxAzs(2)
                .natGateways(0)
                .subnetConfiguration(List.of(SubnetConfiguration.builder()
                        .name("isolated").subnetType(SubnetType.PRIVATE_ISOLATED).cidrMask(22).build()))
                .gatewayEndpoints(java.util.Map.of(
                        "S3", GatewayVpcEndpointOptions.builder().service(GatewayVpcEndpointAwsService.S3).build(),
                        "DynamoDb", GatewayVpcEndpointOptions.builder().service(GatewayVpcEndpointAwsService.DYNAMODB).build()))
                .build();
        // Rejected traffic only: enough to debug a security group, a fraction of the cost of logging all.
        vpc.addFlowLog("RejectedTraffic", FlowLogOptions.builder()
                .trafficType(FlowLogTrafficType.REJECT)
                .destination(FlowLogDestination.toCloudWatchLogs(LogGroup.Builder.create(this, "FlowLogs")
                        .retention(logRetention).removalPolicy(RemovalPolicy.DESTROY).build()))
                .build());

        functionsSecurityGroup = SecurityGroup.Builder.create(this, "FunctionsSecurityGroup")
                .vpc(vpc)
                .description("Lambda functions of huddle-ingest (database clients)")
                .allowAllOutbound(true)
                .build();

        SecurityGroup endpointSecurityGroup = SecurityGroup.Builder.create(this, "EndpointSecurityGroup")
                .vpc(vpc)
                .description("Interface endpoints: HTTPS from inside the VPC")
                .allowAllOutbound(false)
                .build();
        endpointSecurityGroup.addIngressRule(Peer.ipv4(CIDR), Port.tcp(443), "HTTPS from the VPC");
        vpc.addInterfaceEndpoint("Sqs", endpointOptions(InterfaceVpcEndpointAwsService.SQS, endpointSecurityGroup));
        secretsManagerEndpoint = vpc.addInterfaceEndpoint("SecretsManager",
                endpointOptions(InterfaceVpcEndpointAwsService.SECRETS_MANAGER, endpointSecurityGroup));
    }

    private static InterfaceVpcEndpointOptions endpointOptions(InterfaceVpcEndpointAwsService service, SecurityGroup group) {
        return InterfaceVpcEndpointOptions.builder()
                .service(service)
                .privateDnsEnabled(true)
                .subnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_ISOLATED).build())
                .securityGroups(List.of(group))
                .open(false)
                .build();
    }

    public Vpc vpc() {
        return vpc;
    }

    /** The one security group of every function that talks to the database. */
    public SecurityGroup functionsSecurityGroup() {
        return functionsSecurityGroup;
    }

    /** The secret rotation function reaches Secrets Manager through this endpoint. */
    public InterfaceVpcEndpoint secretsManagerEndpoint() {
        return secretsManagerEndpoint;
    }
}
