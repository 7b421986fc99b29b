package dev.huddle.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.CloudAssembly;

/**
 * The jars the stack deploys, one per {@link FunctionFamily}, as functions/ builds them (the reactor packages
 * them before this module's tests; run with {@code verify}): the stack is synthesized with the real jars as
 * HuddleApp does, and every function's own asset must run its handler alone in a fresh JVM
 * ({@link HandlerJarProbe}), so a dependency left out of a family fails here, not on Lambda.
 */
class FunctionJarsTest {
    static final Path JARS = ScriptRun.ROOT.resolve("functions/target");
    /**
     * Issue 12's bound. ProGuard shrinks the shaded 12.5 MB to about 9.4 MB (functions/proguard-ingest.pro;
     * docs/PERFORMANCE.md "Jar per function family"), mostly by leaving out the SDK operations ingest never calls.
     */
    static final long INGEST_JAR_CEILING_BYTES = 10_000_000;
    /** Issue 12: what ingest must not carry (Flyway, the S3 SDK, joda-time) and the migrations. */
    static final List<String> NOT_IN_INGEST = List.of("org/flywaydb/", "software/amazon/awssdk/services/s3/",
            "org/joda/", "db/migration/", "dev/huddle/sql/", "dev/huddle/migrate/", "dev/huddle/retention/");
    /** One request per API handler, from events-samples/, through the jar's own Jackson. */
    static final Map<String, String> SAMPLE_REQUESTS = Map.of(
            "dev.huddle.ingest.IngestHandler", "apigw_v2_progress_batch_valid.json",
            "dev.huddle.health.HealthHandler", "apigw_v2_health.json",
            "dev.huddle.rollup.AdminRollupsHandler", "apigw_v2_admin_rollups_valid.json");
    /** IngestPriming's class list (functions/src/main/resources). */
    static final String PRIMING_LIST = "dev/huddle/ingest/priming-classes.txt";
    private static Template template;
    private static Path assembly;
    private static Path probeClasses;
    private static Map<String, String> nowhere;

    @BeforeAll
    static void synthesizeWithTheRealJars(@TempDir Path directory) throws IOException {
        App app = App.Builder.create().outdir(directory.resolve("cdk.out").toString()).build();
        HuddleStack.create(app, "HuddleJars", StackProps.builder()
                        .env(Environment.builder().account("123456789012").region("eu-central-1").build())
                        .build(),
                new HuddleStack.Inputs(HuddleSettings.fromMap(Map.of()), HuddleApp.functionCode(JARS),
                        Synth.MIGRATIONS_HASH));
        CloudAssembly cloudAssembly = app.synth();
        assembly = Path.of(cloudAssembly.getDirectory());
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) cloudAssembly.getStackByName("HuddleJars").getTemplate();
        template = Template.fromJSON(json);
        probeClasses = directory.resolve("probe");
        copyProbeClass(probeClasses);
        nowhere = settingsPointingNowhere();
    }

    @Test
    void everyFunctionRunsItsHandlerFromItsOwnJarAlone() throws Exception {
        Map<String, Map<String, Object>> functions = javaFunctions();
        assertThat(functions).hasSize(FunctionsTemplateTest.SNAPSTART_HANDLERS.size() + 1);
        for (Map<String, Object> function : functions.values()) {
            String handler = (String) TemplateJson.properties(function).get("Handler");
            List<String> command = new ArrayList<>(List.of(javaCommand(), "-cp",
                    assetOf(function) + java.io.File.pathSeparator + probeClasses, HandlerJarProbe.class.getName(),
                    handler));
            if (SAMPLE_REQUESTS.containsKey(handler)) {
                command.add(ScriptRun.ROOT.resolve("events-samples").resolve(SAMPLE_REQUESTS.get(handler)).toString());
            }
            ScriptRun run = ScriptRun.run(nowhere, command);

            assertThat(run.exitCode()).as("%s from %s; its output:%n%s", handler, assetOf(function), run.output())
                    .isZero();
            assertThat(run.output()).contains("CONSTRUCTED " + handler);
            if (SAMPLE_REQUESTS.containsKey(handler)) {
                assertThat(run.output()).as("%s answered its first request", handler).contains("ANSWERED ");
            }
        }
    }

    @Test
    void eachFamilyIsOneJarAndTheIngestFunctionsShareTheIngestJar() throws IOException {
        Set<String> assets = javaFunctions().values().stream().map(FunctionJarsTest::s3Key).collect(Collectors.toSet());
        assertThat(assets).hasSize(FunctionFamily.values().length);
        for (String handler : SAMPLE_REQUESTS.keySet()) {
            Path asset = assetOf(TemplateJson.functionWithHandler(template, handler).getValue());
            assertThat(Files.mismatch(asset, JARS.resolve(FunctionFamily.INGEST.jarName()))).as(handler).isEqualTo(-1);
        }
        Path migrations = assetOf(TemplateJson.functionWithHandler(template, SchemaMigrations.HANDLER).getValue());
        assertThat(Files.mismatch(migrations, JARS.resolve(FunctionFamily.MIGRATE.jarName()))).isEqualTo(-1);
    }

    @Test
    void theIngestJarCarriesNoFlywayS3SdkOrJodaTimeAndStaysUnderItsCeiling() throws IOException {
        Path ingest = assetOf(TemplateJson.functionWithHandler(template, "dev.huddle.ingest.IngestHandler").getValue());
        try (ZipFile jar = new ZipFile(ingest.toFile())) {
            List<String> forbidden = jar.stream().map(ZipEntry::getName)
                    .filter(name -> NOT_IN_INGEST.stream().anyMatch(name::startsWith))
                    .toList();
            assertThat(forbidden).as("entries of the ingest jar").isEmpty();
            assertThat(jar.getEntry("dev/huddle/ingest/IngestPriming.class")).as("SnapStart priming").isNotNull();
            assertThat(jar.getEntry("org/crac/Core.class")).as("the CRaC hooks of the priming").isNotNull();
        }
        assertThat(Files.size(ingest)).as("bytes of the ingest jar").isLessThanOrEqualTo(INGEST_JAR_CEILING_BYTES);
    }

    /**
     * SnapStart's class priming (IngestPriming) skips a listed class the jar does not hold, so a list older than the
     * jar's dependencies would silently prime less: every class it names must be in the ingest jar.
     */
    @Test
    void theIngestJarCarriesItsPrimingListAndEveryClassItNames() throws IOException {
        Path ingest = assetOf(TemplateJson.functionWithHandler(template, "dev.huddle.ingest.IngestHandler").getValue());
        try (ZipFile jar = new ZipFile(ingest.toFile())) {
            ZipEntry list = jar.getEntry(PRIMING_LIST);
            assertThat(list).as("the priming list in the ingest jar").isNotNull();
            List<String> classes;
            try (InputStream in = jar.getInputStream(list)) {
                classes = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                        .filter(line -> !line.isBlank()).toList();
            }
            List<String> missing = classes.stream()
                    .filter(name -> jar.getEntry(name.replace('.', '/') + ".class") == null)
                    .toList();
            assertThat(classes).hasSizeGreaterThan(1_000);
            assertThat(missing).as("classes of %s not in the ingest jar: write the list again (docs/PERFORMANCE.md"
                    + " \"Cold start of the ingest handler and the jar\")", PRIMING_LIST).isEmpty();
        }
    }

    private static Map<String, Map<String, Object>> javaFunctions() {
        return template.findResources("AWS::Lambda::Function",
                Map.of("Properties", Map.of("Handler", Match.stringLikeRegexp("^dev\\.huddle\\..*"))));
    }

    /** The asset's S3 key is its hash; the assembly holds the staged jar as asset.<hash>.jar. */
    private static String s3Key(Map<String, Object> function) {
        @SuppressWarnings("unchecked")
        Map<String, Object> code = (Map<String, Object>) TemplateJson.properties(function).get("Code");
        return (String) code.get("S3Key");
    }

    private static Path assetOf(Map<String, Object> function) {
        Path asset = assembly.resolve("asset." + s3Key(function));
        assertThat(asset).as("the staged jar of %s", s3Key(function)).isRegularFile();
        return asset;
    }

    /**
     * Every setting a handler reads, pointing at a local port where nothing listens: the constructors build
     * their SDK clients and the first request reaches the network code and fails there (503), as on a
     * database outage.
     */
    private static Map<String, String> settingsPointingNowhere() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String nowhere = "http://127.0.0.1:" + port;
        return Map.ofEntries(
                Map.entry("AWS_REGION", "us-east-1"),
                Map.entry("AWS_ACCESS_KEY_ID", "local"),
                Map.entry("AWS_SECRET_ACCESS_KEY", "local"),
                Map.entry("DB_URL", "jdbc:postgresql://127.0.0.1:" + port + "/huddle"),
                Map.entry("DB_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:123456789012:secret:probe"),
                Map.entry("DB_ROLE_SECRET_ARNS", "{}"),
                Map.entry("SECRETS_MANAGER_ENDPOINT", nowhere),
                Map.entry("DYNAMODB_ENDPOINT", nowhere),
                Map.entry("SQS_ENDPOINT", nowhere),
                Map.entry("S3_ENDPOINT", nowhere),
                Map.entry("RATE_LIMIT_TABLE", "probe-rate-limits"),
                Map.entry("ROLLUP_QUEUE_URL", nowhere + "/000000000000/rollups.fifo"),
                Map.entry("ROLLUP_DLQ_URL", nowhere + "/000000000000/rollups-dlq.fifo"),
                Map.entry("SNAPSHOT_BUCKET", "probe-snapshots"));
    }

    private static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Only the probe's class file, so the probe JVM loads nothing but the function's jar and the JDK. */
    private static void copyProbeClass(Path directory) throws IOException {
        String resource = HandlerJarProbe.class.getSimpleName() + ".class";
        Path target = directory.resolve(HandlerJarProbe.class.getPackageName().replace('.', '/')).resolve(resource);
        Files.createDirectories(target.getParent());
        try (InputStream in = HandlerJarProbe.class.getResourceAsStream(resource)) {
            Files.copy(in, target);
        }
    }
}
