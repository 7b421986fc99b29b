package dev.huddle.infra;

import java.util.List;
import java.util.Optional;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.rds.Credentials;
import software.amazon.awscdk.services.rds.DatabaseInstance;
import software.amazon.awscdk.services.rds.DatabaseInstanceEngine;
import software.amazon.awscdk.services.rds.DatabaseProxy;
import software.amazon.awscdk.services.rds.DatabaseProxyOptions;
import software.amazon.awscdk.services.rds.DatabaseSecret;
import software.amazon.awscdk.services.rds.PostgresEngineVersion;
import software.amazon.awscdk.services.rds.PostgresInstanceEngineProps;
import software.amazon.awscdk.services.rds.RotationSingleUserOptions;
import software.amazon.awscdk.services.rds.StorageType;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.constructs.Construct;

/**
 * RDS PostgreSQL 17 (the local stack's major) in the isolated subnets, its generated credentials in
 * Secrets Manager, and an RDS Proxy in front: Lambda scales out to hundreds of containers, each with its
 * own connection; the proxy multiplexes them onto a small pool so a burst cannot exhaust
 * max_connections (about 200 on a t4g.small). The proxy requires TLS; the functions connect with
 * sslmode=require. Only the functions' security group may reach the proxy, and only the proxy (and the
 * secret rotation) the instance, both on 5432.
 */
public final class Database extends Construct {
    public static final String DATABASE_NAME = "huddle";
    public static final int PORT = 5432;

    private final DatabaseInstance instance;
    private final DatabaseSecret secret;
    private final DatabaseProxy proxy;

    public Database(Construct scope, String id, Network network, HuddleSettings settings) {
        super(scope, id);
        SubnetSelection isolated = SubnetSelection.builder().subnetType(SubnetType.PRIVATE_ISOLATED).build();
        RemovalPolicy removal = switch (settings.removalPolicy()) {
            case RETAIN -> RemovalPolicy.RETAIN;
            case SNAPSHOT -> RemovalPolicy.SNAPSHOT;
            case DESTROY -> RemovalPolicy.DESTROY;
        };

        secret = DatabaseSecret.Builder.create(this, "Secret").username("huddle_admin").build();
        SecurityGroup instanceSecurityGroup = SecurityGroup.Builder.create(this, "InstanceSecurityGroup")
                .vpc(network.vpc())
                .description("PostgreSQL: 5432 from the RDS Proxy and the secret rotation only")
                .allowAllOutbound(false)
                .build();
        instance = DatabaseInstance.Builder.create(this, "Instance")
                .engine(DatabaseInstanceEngine.postgres(PostgresInstanceEngineProps.builder()
                        .version(PostgresEngineVersion.VER_17_6).build()))
                .instanceType(new InstanceType(settings.dbInstanceClass()))
                .vpc(network.vpc())
                .vpcSubnets(isolated)
                .securityGroups(List.of(instanceSecurityGroup))
                .credentials(Credentials.fromSecret(secret))
                .databaseName(DATABASE_NAME)
                .port(PORT)
                .storageType(StorageType.GP3)
                .allocatedStorage(settings.dbAllocatedStorageGib())
                .maxAllocatedStorage(settings.dbAllocatedStorageGib() * 5)
                .storageEncrypted(true)
                .multiAz(settings.dbMultiAz())
                .backupRetention(Duration.days(7))
                .deletionProtection(settings.deletionProtection())
                .removalPolicy(removal)
                .autoMinorVersionUpgrade(true)
                .cloudwatchLogsExports(List.of("postgresql"))
                .enablePerformanceInsights(false)
                .publiclyAccessible(false)
                .build();

        NagExemptions.suppress(instance, "AwsSolutions-RDS11",
                "Port 5432 is reachable only from the RDS Proxy's security group inside an isolated VPC; a "
                        + "non-default port adds no protection there");
        if (!settings.dbMultiAz()) {
            NagExemptions.suppress(instance, "AwsSolutions-RDS3",
                    "Single-AZ by default for cost (a standby doubles the instance price); production sets -c dbMultiAz=true");
        }
        if (settings.localstack()) {
            // LocalStack has no RDS Proxy: the functions connect to the instance directly.
            proxy = null;
            instance.getConnections().allowFrom(network.functionsSecurityGroup(), Port.tcp(PORT), "functions to PostgreSQL");
            return;
        }
        SecurityGroup proxySecurityGroup = SecurityGroup.Builder.create(this, "ProxySecurityGroup")
                .vpc(network.vpc())
                .description("RDS Proxy: 5432 from the functions only")
                .allowAllOutbound(false)
                .build();
        proxy = instance.addProxy("Proxy", DatabaseProxyOptions.builder()
                .vpc(network.vpc())
                .vpcSubnets(isolated)
                .secrets(List.of(secret))
                .securityGroups(List.of(proxySecurityGroup))
                .requireTls(true)
                .iamAuth(false)
                // Idle client connections of frozen Lambda containers are closed after 10 minutes.
                .idleClientTimeout(Duration.minutes(10))
                .maxConnectionsPercent(80)
                .build());
        // addProxy already lets the proxy reach the instance; allowFrom adds the matching egress rule on the
        // functions' side too.
        proxy.getConnections().allowFrom(network.functionsSecurityGroup(), Port.tcp(PORT), "functions to the proxy");
    }

    /**
     * Rotates the admin password every 30 days (the functions re-fetch the secret after an authentication
     * failure, the proxy reads the secret itself). The rotation function runs in the isolated subnets and
     * calls Secrets Manager through the interface endpoint.
     */
    void addRotation(Network network) {
        instance.addRotationSingleUser(RotationSingleUserOptions.builder()
                .automaticallyAfter(Duration.days(30))
                .endpoint(network.secretsManagerEndpoint())
                .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_ISOLATED).build())
                .build());
    }

    public DatabaseInstance instance() {
        return instance;
    }

    public ISecret secret() {
        return secret;
    }

    /** Empty on LocalStack. */
    public Optional<DatabaseProxy> proxy() {
        return Optional.ofNullable(proxy);
    }

    /** The JDBC URL the functions use: through the proxy when there is one, TLS required. */
    public String jdbcUrl() {
        String host = proxy != null ? proxy.getEndpoint() : instance.getDbInstanceEndpointAddress();
        return "jdbc:postgresql://" + host + ":" + PORT + "/" + DATABASE_NAME + "?sslmode=require";
    }
}
