package dev.huddle.infra;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.lambda.Code;

/**
 * Synthesizes the real stack (HuddleStack.create, as the app does) once per distinct settings per test
 * JVM: a synth costs seconds. The Lambda code is a placeholder folder; the migrations hash is computed
 * from sql/'s real migration files.
 */
final class Synth {
    static final Path MIGRATIONS = Path.of("../sql/src/main/resources/db/migration");
    static final String MIGRATIONS_HASH = MigrationsHash.of(MIGRATIONS);
    private static final Map<Map<String, ?>, Synthesized> CACHE = new ConcurrentHashMap<>();

    record Synthesized(HuddleStack stack, Template template) {
    }

    private Synth() {
    }

    static Template template() {
        return of(Map.of()).template();
    }

    static Template template(Map<String, ?> context) {
        return of(context).template();
    }

    static synchronized Synthesized of(Map<String, ?> context) {
        return CACHE.computeIfAbsent(context, Synth::synthesize);
    }

    /** A new app and stack, not cached: for aspects (cdk-nag) that must not leak into other tests. */
    static HuddleStack freshStack(App app, Map<String, ?> context) {
        return HuddleStack.create(app, "HuddleTest", StackProps.builder()
                        .env(Environment.builder().account("123456789012").region("eu-central-1").build())
                        .build(),
                new HuddleStack.Inputs(HuddleSettings.fromMap(context), placeholderCode(), MIGRATIONS_HASH));
    }

    /** Every family's code is the placeholder folder (FunctionJarsTest synthesizes with the real jars). */
    private static Map<FunctionFamily, Code> placeholderCode() {
        Map<FunctionFamily, Code> code = new EnumMap<>(FunctionFamily.class);
        for (FunctionFamily family : FunctionFamily.values()) {
            code.put(family, Code.fromAsset("lambda-placeholder"));
        }
        return code;
    }

    private static Synthesized synthesize(Map<String, ?> context) {
        HuddleStack stack = freshStack(new App(), context);
        return new Synthesized(stack, Template.fromStack(stack));
    }
}
