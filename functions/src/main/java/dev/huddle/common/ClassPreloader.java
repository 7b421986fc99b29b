package dev.huddle.common;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Loads and initialises, ahead of need, the classes a resource lists: SnapStart's class priming, as Powertools
 * for AWS Lambda primes its modules (a list of class names read in the CRaC {@code beforeCheckpoint} hook), so
 * that the classes are in the snapshot and a restored container's first request does not load them.
 * https://docs.aws.amazon.com/lambda/latest/dg/snapstart-best-practices.html
 *
 * <p>The list has one binary class name a line, in the order a cold start loaded them ({@code local-stack.jar
 * coldstart --class-list FILE} writes it); blank lines and text after {@code #} are ignored. A name that does not
 * load (a class a dependency upgrade removed, before the list is written again) is skipped, not fatal: priming
 * only saves time. Unlike Powertools' loader, one such name does not end the priming of the rest.
 */
public final class ClassPreloader {
    private ClassPreloader() {
    }

    /**
     * Loads and initialises every class of {@code resource} (looked up next to {@code anchor}) with
     * {@code anchor}'s class loader.
     *
     * @return how many of the listed classes are now loaded and initialised
     * @throws IllegalStateException the resource is missing (a packaging error, not a stale list)
     */
    public static int preload(Class<?> anchor, String resource) {
        InputStream in = anchor.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("class list " + resource + " missing next to " + anchor.getName());
        }
        int loaded = 0;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                int comment = line.indexOf('#');
                String name = (comment < 0 ? line : line.substring(0, comment)).strip();
                if (!name.isEmpty() && load(name, anchor.getClassLoader())) {
                    loaded++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read class list " + resource, e);
        }
        return loaded;
    }

    private static boolean load(String name, ClassLoader loader) {
        try {
            Class.forName(name, true, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError notThere) {
            return false;
        }
    }
}
