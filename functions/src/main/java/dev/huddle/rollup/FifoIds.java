package dev.huddle.rollup;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Message group and deduplication ids for the FIFO job queue. SQS accepts up to 128 characters of
 * {@code [a-zA-Z0-9!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~]} in either
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html). An id
 * that fits is used as it is (readable in the console and the DLQ); any other is replaced by its SHA-256,
 * never cut or rewritten, which would let two orgs share a deduplication id and SQS drop one's job.
 */
final class FifoIds {
    static final int MAX_LENGTH = 128;
    private static final Pattern ALLOWED = Pattern.compile("[a-zA-Z0-9!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~]{1,128}");
    /** Marks a hashed id. An id that starts with it is hashed too, so a hashed id never equals one used as it is. */
    private static final String HASHED = "sha256-";

    private FifoIds() {
    }

    /** {@code id} when SQS accepts it, else "sha256-" and the hex SHA-256 of its UTF-8 bytes (71 characters). */
    static String safe(String id) {
        if (ALLOWED.matcher(id).matches() && !id.startsWith(HASHED)) {
            return id;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return HASHED + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
