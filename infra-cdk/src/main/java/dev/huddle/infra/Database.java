package dev.huddle.infra;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import software.amazon.awscdk.services.rds.StorageType;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.SecretRotation;
import software.amazon.awscdk.services.secretsmanager.SecretRotationApplication;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * RDS PostgreSQL 17 (the local stack's major) in the isolated subnets, its generated credentials in
 * Secrets Manager, and an RDS Proxy in front: Lambda scales out to hundreds of containers, each with its
 * own connection; the proxy multiplexes them onto a small pool so a burst cannot exhaust
 * max_connections ({@link ConnectionBudget}). The proxy requires TLS. Only the functions' security group
 * may reach the proxy, and only the proxy (and the secret rotation) the instance, both on 5432.
 *
 * <p>Every client logs in as its own role ({@link DatabaseRole}): each role has its own generated secret in the
 * RDS format (username, password, host, port, dbname, engine), registered with the proxy (one auth entry
 * per secret; the proxy reads the secret and checks the client's password against it) and rotated alone.
 * The admin secret is for bootstrapping the roles only: the migrations read it, no function does.
 * IAM database authentication stays off: the functions authenticate with the secret's password, so
 * rds-db:connect grants nothing here, and the local stack and the tests log in the same way.
 */
public final class Database extends Construct {
    public static final String DATABASE_NAME = "huddle";
    public static final int PORT = 5432;
    /** The rotation period of every secret. */
    public static final Duration ROTATION = Duration.days(30);
    /**
     * How long a client waits for a database connection from the proxy's pool before the proxy refuses it:
     * well inside ingest's timeout ({@link Ingest#TIMEOUT}), so a saturated pool becomes a quick 503 that the
     * client retries, not a request hanging until the function times out.
     */
    public static final Duration BORROW_TIMEOUT = Duration.seconds(3);

    private final DatabaseInstance instance;
    private final Map<DatabaseRole, ISecret> roleSecrets = new EnumMap<>(DatabaseRole.class);
    private final DatabaseProxy proxy;

    public Database(Construct scope, String id, Network network, HuddleSettings settings) {
        super(scope, id);
        SubnetSelection isolated = SubnetSelection.builder().subnetType(SubnetType.PRIVATE_ISOLATED).build();
        RemovalPolicy removal = switch (settings.removalPolicy()) {
            case RETAIN -> RemovalPolicy.RETAIN;
            case SNAPSHOT -> RemovalPolicy.SNAPSHOT;
            case DESTROY -> RemovalPolicy.DESTROY;
        };

        DatabaseSecret secret = DatabaseSecret.Builder.create(this, "Secret").username("huddle_admin").dbname(DATABASE_NAME).build();
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
        for (DatabaseRole role : DatabaseRole.values()) {
            // The default excluded characters are those RDS and the connection strings dislike.
            DatabaseSecret roleSecret = DatabaseSecret.Builder.create(this, role.constructId() + "Secret")
                    .username(role.roleName())
                    .dbname(DATABASE_NAME)
                    .build();
            // attach adds host, port, engine and the instance identifier to the secret's JSON.
            roleSecrets.put(role, roleSecret.attach(instance));
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
                .secrets(allSecrets())
                .securityGroups(List.of(proxySecurityGroup))
                .requireTls(true)
                .iamAuth(false)
                // Idle client connections of frozen Lambda containers are closed after 10 minutes.
                .idleClientTimeout(Duration.minutes(10))
                .maxConnectionsPercent(ConnectionBudget.PROXY_MAX_CONNECTIONS_PERCENT)
                .borrowTimeout(BORROW_TIMEOUT)
                .build());
        // addProxy already lets the proxy reach the instance; allowFrom adds the matching egress rule on the
        // functions' side too.
        proxy.getConnections().allowFrom(network.functionsSecurityGroup(), Port.tcp(PORT), "functions to the proxy");
    }

    /**
     * Rotates every secret every {@link #ROTATION} with single-user rotation (the role changes its own
     * password; the functions re-fetch their secret after an authentication failure, the proxy reads the
     * secrets itself). The rotation functions share one security group, run in the isolated subnets and
     * call Secrets Manager through the interface endpoint. The role secrets rotate only after {@code roles}
     * (the migrations, which create the roles with their secrets' passwords) exist: the first rotation
     * starts when its schedule is created and must find the role.
     */
    void addRotation(Network network, IConstruct roles) {
        SecurityGroup rotationSecurityGroup = SecurityGroup.Builder.create(this, "RotationSecurityGroup")
                .vpc(network.vpc())
                .description("Secret rotation functions: to PostgreSQL and the Secrets Manager endpoint")
                .build();
        rotate("AdminRotation", instance.getSecret(), network, rotationSecurityGroup);
        roleSecrets.forEach((role, roleSecret) -> rotate(role.constructId() + "Rotation", roleSecret, network,
                rotationSecurityGroup).getNode().addDependency(roles));
    }

    private SecretRotation rotate(String id, ISecret target, Network network, SecurityGroup securityGroup) {
        return SecretRotation.Builder.create(this, id)
                .application(SecretRotationApplication.POSTGRES_ROTATION_SINGLE_USER)
                .secret(target)
                .target(instance)
                .vpc(network.vpc())
                .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_ISOLATED).build())
                .endpoint(network.secretsManagerEndpoint())
                .securityGroup(securityGroup)
                .automaticallyAfter(ROTATION)
                .build();
    }

    private List<ISecret> allSecrets() {
        List<ISecret> all = new ArrayList<>();
        all.add(instance.getSecret());
        all.addAll(roleSecrets.values());
        return all;
    }

    public DatabaseInstance instance() {
        return instance;
    }

    /** The admin (master) secret: bootstrap of the roles only. */
    public ISecret adminSecret() {
        return instance.getSecret();
    }

    /** The secret a client of this role logs in with. */
    public ISecret secret(DatabaseRole role) {
        return roleSecrets.get(role);
    }

    /** Role name to secret, in {@link DatabaseRole} order: what the migrations read (DB_ROLE_SECRET_ARNS). */
    public Map<String, ISecret> roleSecrets() {
        Map<String, ISecret> byName = new LinkedHashMap<>();
        roleSecrets.forEach((role, roleSecret) -> byName.put(role.roleName(), roleSecret));
        return byName;
    }

    /** Empty on LocalStack. */
    public Optional<DatabaseProxy> proxy() {
        return Optional.ofNullable(proxy);
    }

    /**
     * The JDBC URL the functions use: through the proxy when there is one. It carries no {@code sslmode}: a
     * URL parameter would override the functions' own TLS setting ({@link #sslMode()}).
     */
    public String jdbcUrl() {
        String host = proxy != null ? proxy.getEndpoint() : instance.getDbInstanceEndpointAddress();
        return "jdbc:postgresql://" + host + ":" + PORT + "/" + DATABASE_NAME;
    }

    /**
     * The functions' DB_SSL_MODE: {@code verify-full} against the RDS certificate authorities shipped in the
     * functions jar (dev.huddle.common.db.DatabaseTls), so a man in the middle with any other certificate is
     * refused. On LocalStack the database is a plain PostgreSQL in LocalStack's container with no RDS
     * certificate, so nothing could be verified: {@code disable}.
     */
    public String sslMode() {
        return proxy != null ? "verify-full" : "disable";
    }
}
