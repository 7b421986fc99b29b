package dev.huddle.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FifoIdsTest {
    @Test
    void keepsAnIdSqsAccepts() {
        assertThat(FifoIds.safe("org-1:sweep:352961")).isEqualTo("org-1:sweep:352961");
        String punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
        assertThat(FifoIds.safe(punctuation)).isEqualTo(punctuation);
        assertThat(FifoIds.safe("x".repeat(128))).isEqualTo("x".repeat(128));
    }

    @Test
    void hashesAnIdTooLongForSqs_soTwoIdsWithTheSamePrefixStayDistinct() {
        String a = "a".repeat(128) + ":sweep:1";
        String b = "a".repeat(127) + "b:sweep:1";

        assertThat(FifoIds.safe(a)).startsWith("sha256-").hasSize(7 + 64).matches("sha256-[0-9a-f]{64}");
        assertThat(FifoIds.safe(a)).isNotEqualTo(FifoIds.safe(b)).isEqualTo(FifoIds.safe(a));
    }

    @Test
    void hashesAnIdWithCharactersSqsRefuses_andAnIdThatLooksHashed() {
        assertThat(FifoIds.safe("org 1")).startsWith("sha256-");
        assertThat(FifoIds.safe("orgé")).startsWith("sha256-");
        assertThat(FifoIds.safe("")).startsWith("sha256-");
        String lookalike = FifoIds.safe("org 1");
        assertThat(FifoIds.safe(lookalike)).isNotEqualTo(lookalike);
    }
}
