package dev.huddle.perf.loadtest;

import java.util.List;

/**
 * The JVM options Lambda's managed Java runtimes start a function's JVM with, for {@code coldstart --lambda-jvm}:
 * the serial collector, C1 only, a maximum heap of 85 % of the function's memory, and IPv4 sockets. The runtime's
 * launch command reads (java17, as a function's own process list shows it) {@code java -XX:MaxHeapSize=...
 * -XX:+UseSerialGC -Xshare:on -XX:SharedArchiveFile=... -XX:+TieredCompilation -XX:TieredStopAtLevel=1
 * -Djava.net.preferIPv4Stack=true ...}; the older runtimes' gave -XX:MaxHeapSize=222823k for a 256 MB function,
 * 85 %. {@code -Xshare} and the runtime's own class-data archive are left to the JDK's default archive here.
 *
 * <p>{@code -XX:MaxRAM} makes the JVM size itself for the function's memory instead of this machine's (its initial
 * heap is 1/64 of it, so a 1 GB function starts with a 16 MB heap and collects sooner), as it does on Lambda.
 * What this cannot emulate is the CPU: a 1,024 MB function gets about 0.58 of a vCPU (1,769 MB buys one), while
 * the probe JVM has this machine's cores.
 */
final class LambdaJvmOptions {
    /** The ingest function's memory (infra-cdk's Ingest.MEMORY_MB). */
    static final int INGEST_MEMORY_MB = 1024;

    private LambdaJvmOptions() {
    }

    static List<String> forMemory(int memoryMb) {
        if (memoryMb < 128 || memoryMb > 10_240) {
            throw new IllegalArgumentException("a Lambda function has 128 to 10,240 MB, not " + memoryMb);
        }
        long maxHeapKb = (long) Math.ceil(memoryMb * 1024 * 0.85);
        return List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:MaxRAM=" + memoryMb + "m",
                "-XX:MaxHeapSize=" + maxHeapKb + "k", "-Djava.net.preferIPv4Stack=true");
    }
}
