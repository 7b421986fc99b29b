/// # Rate limit
///
/// A token bucket per user (`RATE_LIMIT_PER_SECOND` sustained, `RATE_LIMIT_BURST` burst, across all
/// POST routes), kept in DynamoDB so every Lambda container shares it; a refused request gets `429`
/// with `Retry-After`. Build it once per container with `RateLimiters.fromConfig(config.rateLimit(), config.aws())`.
///
/// - `DynamoDbTokenBucket`: the bucket as GCRA (one "theoretical arrival time" per user), one
///   conditional `UpdateItem` per request in the normal case, none for a refusal this container can
///   already prove. The class comment explains the two update forms.
/// - `RateLimitTableSchema`: the table (`pk` string key, on-demand, TTL on `expiresAt`).
///
/// ## When DynamoDB cannot answer: fail open
///
/// Unreachable, slower than `DYNAMODB_TIMEOUT_MS` (100 ms, one retry included; a container's calls until
/// DynamoDB first answers get `DYNAMODB_FIRST_CALL_TIMEOUT_MS`, 1 s, for the SDK's class loading and the
/// connection), throttling or answering 5xx: the
/// request is decided by an **in-memory bucket of the same limits in this container**. A 4xx that is not
/// throttling (a `ValidationException`, a missing table, a denied permission) is no outage and does not
/// fall back: it propagates (the request gets `500`, and the alarm on 5xx fires). A `sub` DynamoDB could
/// not take as a key never gets here: ingest answers `401` for a subject that is not 1–256 printable
/// ASCII characters. When the fallback applies,
///
/// - a circuit breaker then skips DynamoDB for 2.5–7.5 s, drawn per failure so containers do not probe in
///   step (one probe after that), so an outage adds its
///   timeout to one request per period rather than to each;
/// - each such answer writes a `RateLimiterFallback` metric (CloudWatch EMF, dimension `cause` =
///   `dynamodb_error` | `circuit_open`) — alarm on it.
///
/// Why open: ingestion availability matters more than exact fairness. A closed limiter would turn a
/// DynamoDB incident into an ingestion outage. During the fallback a user can get up to the limit per
/// container instead of in total; API Gateway stage throttling still bounds the whole API, and the
/// local bucket still bounds each user in each container. The limiter never answers `503`.
package dev.huddle.ratelimit;
