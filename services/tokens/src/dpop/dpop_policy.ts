/**
 * DPoP time rules (RFC 9449 §11.1 leaves them to the server).
 * - iat window ±60 s: wide enough for ordinary clock skew, narrow enough that
 *   the jti store stays small; a proof is refused outside it.
 * - jti rows live until iat + 60 s (the last moment the proof could pass), at
 *   most 2 minutes after acceptance — well under the 1 h cap.
 * - Server nonces are time buckets of 5 minutes; the current and the previous
 *   bucket are accepted, so a nonce is good for 5–10 minutes.
 */

/** Allowed distance between a proof's iat and the server clock. */
export const dpopIatWindowMs = 60_000

/** Width of one nonce bucket. */
export const dpopNonceBucketMs = 5 * 60_000
