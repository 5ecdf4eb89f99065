/** Timing rules of the device authorization grant (RFC 8628), each documented where it is defined. */

/** Device and user code lifetime: 15 minutes (DESIGN §2; RFC 8628 §3.2 leaves it to the server — long enough to find a phone and sign in). */
export const deviceCodeTtlMs = 15 * 60_000

/** Initial minimum polling interval in seconds: 5, the RFC 8628 §3.2 default when none is returned. */
export const devicePollIntervalSeconds = 5

/** RFC 8628 §3.5: on `slow_down` the interval "MUST be increased by 5 seconds for this and all subsequent requests". */
export const slowDownIncrementSeconds = 5

/**
 * How long an expired code's row is kept, so a late poll hears `expired_token`
 * (RFC 8628 §3.5) rather than `invalid_grant`, and a decided code is remembered
 * as used. One hour: devices give up well within it.
 */
export const expiredDeviceCodeRetentionMs = 3_600_000
