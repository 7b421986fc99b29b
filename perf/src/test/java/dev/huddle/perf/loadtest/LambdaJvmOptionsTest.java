package dev.huddle.perf.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LambdaJvmOptionsTest {

    @Test
    void sizesTheHeapAsLambdaDoes_85PercentOfTheFunctionsMemory() {
        // 222,823k is what Lambda's runtime gave a 256 MB function.
        assertThat(LambdaJvmOptions.forMemory(256)).contains("-XX:MaxHeapSize=222823k", "-XX:MaxRAM=256m");
        assertThat(LambdaJvmOptions.forMemory(LambdaJvmOptions.INGEST_MEMORY_MB))
                .containsExactly("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:MaxRAM=1024m",
                        "-XX:MaxHeapSize=891290k", "-Djava.net.preferIPv4Stack=true");
    }

    @Test
    void refusesAMemorySizeLambdaDoesNotOffer() {
        assertThatThrownBy(() -> LambdaJvmOptions.forMemory(64)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LambdaJvmOptions.forMemory(20_000)).isInstanceOf(IllegalArgumentException.class);
    }
}
