/**
 * HOTP (RFC 4226) and TOTP (RFC 6238) through WebCrypto HMAC. Authrim's TOTP
 * is the profile every authenticator app understands: HMAC-SHA-1, 6 digits,
 * 30-second steps from the Unix epoch. Other hashes and lengths exist only so
 * the RFC 6238 Appendix B reference vectors can be checked against this code.
 */
import { Unavailable } from "@authrim/contracts"
import { timingSafeEqual } from "@authrim/platform"
import { Effect } from "effect"
import { serviceName } from "../identity_bindings.ts"

/** RFC 6238 X: seconds per time step (the RFC's and every app's default). */
export const TOTP_STEP_SECONDS = 30
/** Digits of a code (RFC 4226 §5.3 minimum, the apps' default). */
export const TOTP_DIGITS = 6
/**
 * Accepted clock drift, in steps either side of now (RFC 6238 §5.2 recommends
 * at most one): a code typed at the end of its 30 s still works, and the
 * device clock may be ~30 s off.
 */
export const TOTP_WINDOW_STEPS = 1

/** The HMAC hash of an HOTP computation. */
export type HotpHash = "SHA-1" | "SHA-256" | "SHA-512"

/** RFC 4226 §5.3: HMAC of the 8-byte big-endian counter, dynamic truncation, modulo 10^digits. */
export const hotp = (secret: Uint8Array, counter: number, digits = TOTP_DIGITS, hash: HotpHash = "SHA-1"): Effect.Effect<string, Unavailable> =>
  Effect.tryPromise({
    try: async () => {
      const key = await crypto.subtle.importKey("raw", secret, { name: "HMAC", hash }, false, ["sign"])
      const message = new Uint8Array(8)
      new DataView(message.buffer).setBigUint64(0, BigInt(counter))
      return new Uint8Array(await crypto.subtle.sign("HMAC", key, message))
    },
    // A secret WebCrypto refuses as an HMAC key (e.g. empty): a damaged row, an operator problem.
    catch: (cause) => new Unavailable({ service: serviceName, reason: `TOTP HMAC: ${cause instanceof Error ? cause.message : String(cause)}` })
  }).pipe(Effect.map((mac) => {
    const offset = mac[mac.length - 1]! & 0x0f
    const binary = ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!
    return String(binary % 10 ** digits).padStart(digits, "0")
  }))

/** RFC 6238 §4.2: the time step T of a Unix time in ms. */
export const totpStep = (nowMs: number): number => Math.floor(nowMs / 1000 / TOTP_STEP_SECONDS)

/** The TOTP value at a Unix time in ms. */
export const totp = (secret: Uint8Array, nowMs: number, digits = TOTP_DIGITS, hash: HotpHash = "SHA-1"): Effect.Effect<string, Unavailable> =>
  hotp(secret, totpStep(nowMs), digits, hash)

/**
 * The highest step within ±{@link TOTP_WINDOW_STEPS} of now whose code equals
 * `code`, or null. All candidates are computed and compared in constant time,
 * so the answer's timing does not say which step matched.
 */
export const matchingTotpStep = Effect.fnUntraced(function*(secret: Uint8Array, code: string, nowMs: number) {
  const now = totpStep(nowMs)
  let matched: number | null = null
  for (let step = now - TOTP_WINDOW_STEPS; step <= now + TOTP_WINDOW_STEPS; step++) {
    const expected = yield* hotp(secret, step)
    if (timingSafeEqual(expected, code)) matched = step
  }
  return matched
})
