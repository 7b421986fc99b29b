package dev.huddle.retention;

/** What one export wrote: rows (JSON lines), bytes stored (gzip) and the SHA-256 (hex) of those bytes. */
record ExportResult(long rows, long bytes, String sha256) {
}
