package dev.huddle.infra;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;

/**
 * Runs in a fresh JVM whose classpath is one function's jar plus this one class ({@link FunctionJarsTest}):
 * loads and initialises the handler class, runs its no-argument constructor as Lambda does (settings from
 * the environment), and, given a sample event, hands it one request, printing {@code CONSTRUCTED} and
 * {@code ANSWERED}. A class missing from the jar ends it with exit code 3. Uses only the JDK and Jackson,
 * which every family's jar holds.
 */
public final class HandlerJarProbe {
    static final int MISSING_CLASS = 3;

    private HandlerJarProbe() {
    }

    /** {@code args[0]}: the handler class; {@code args[1]} (optional): a sample event file for one request. */
    public static void main(String[] args) throws Throwable {
        try {
            Object handler = Class.forName(args[0]).getConstructor().newInstance();
            System.out.println("CONSTRUCTED " + args[0]);
            if (args.length > 1) {
                Method handle = handleRequest(handler.getClass());
                Object event = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                        .readValue(Path.of(args[1]).toFile(), handle.getParameterTypes()[0]);
                System.out.println("ANSWERED " + handle.invoke(handler, event, null));
            }
        } catch (Throwable e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof LinkageError || cause instanceof ClassNotFoundException) {
                    System.out.println("MISSING CLASS " + cause);
                    System.exit(MISSING_CLASS);
                }
            }
            throw e instanceof InvocationTargetException target ? target.getCause() : e;
        }
        System.exit(0);
    }

    /** The handler's own handleRequest (not the compiler's bridge method taking Object). */
    private static Method handleRequest(Class<?> type) throws NoSuchMethodException {
        for (Method method : type.getMethods()) {
            if (method.getName().equals("handleRequest") && !method.isBridge()) {
                return method;
            }
        }
        throw new NoSuchMethodException(type.getName() + ".handleRequest");
    }
}
