/**
 * Online password guessing without locking the owner out (issue 9 §4; OWASP
 * "Blocking Brute Force Attacks", ASVS 4 V2.2.1). Three controls, all counting
 * FAILED passwords only:
 *
 * - per client IP (`loginFailuresPerIp`, a window): spraying many accounts from one address;
 * - per (account, IP) pair (`loginFailuresPerAccountIp`, a window): one address guessing one
 *   account — a hard limit, but only for that address;
 * - per account from any IP (`LOGIN_BACKOFF_PER_ACCOUNT`, a progressive delay in the ratelimit
 *   service): after a few free failures each attempt must wait 1 s, 2 s, 4 s … up to 15 min after
 *   the last failure. It slows credential stuffing from many IPs to about 100 tries a day per
 *   account, and never refuses longer than the cap — the old per-account window locked the real
 *   user out for as long as anyone kept failing.
 *
 * A browser holding this account's remembered-device cookie (`device_cookie.ts`) skips the delay,
 * unless that device itself failed too often (`loginFailuresPerDevice`).
 *
 * Before the password is verified every control is only READ (window `cost: 0`, backoff `peek`);
 * failures are counted afterwards, so correct passwords never fill anything. A refused attempt is
 * not verified and not counted. All controls fail CLOSED when the limiter is unreachable: while
 * they cannot be read or written passwords are not checked at all (503; passkeys, email links and
 * upstream providers keep working). Parallel guesses all pass the read before any is counted, so a
 * burst can exceed a window by the attempts in flight (each costs a PBKDF2 verification); every one
 * is counted, and the delay grows with each.
 */
import type { BackoffDecision, BackoffStep } from "@authrim/contracts"
import { Effect } from "effect"
import type { Backends } from "../backends.ts"
import { firstRefusal, limitBy, type RateLimitRefusal, type RateLimitVerdict } from "./rate_limit_gate.ts"
import { LOGIN_BACKOFF_PER_ACCOUNT } from "./rate_limit_policies.ts"

/** Who is trying: the client IP (null locally), the account key (hex SHA-256 of the email), the remembered device (null: none for this account). */
export interface PasswordAttempt {
  readonly ip: string | null
  readonly account: string
  readonly device: string | null
}

/** What the gate decided before the password is verified. */
export type PasswordGate =
  /** Verify the password. `deviceTrusted`: the delay was skipped; `pendingFailures`: the account's run of failures as read. */
  | { readonly _tag: "Verify"; readonly deviceTrusted: boolean; readonly pendingFailures: number }
  /** An IP or (account, IP) window is full, or the limiter is down for one of them. */
  | { readonly _tag: "Refused"; readonly refusal: RateLimitRefusal }
  /** The account's delay has not passed: try again in `retryAfter` seconds. */
  | { readonly _tag: "Delayed"; readonly retryAfter: number }
  /** The account's delay could not be read (limiter down): fail closed. */
  | { readonly _tag: "LimiterDown" }

const admitted: Effect.Effect<RateLimitVerdict> = Effect.succeed({ _tag: "Admitted", decision: null })

const pairSubject = (attempt: PasswordAttempt, ip: string) => `${attempt.account}:${ip}`

/** One step of the account's delay; null when the limiter is unreachable (logged: this control fails closed). */
const accountBackoff = (backends: Backends, account: string, step: BackoffStep): Effect.Effect<BackoffDecision | null> => {
  const { name, ...policy } = LOGIN_BACKOFF_PER_ACCOUNT
  return backends.rateLimit.backoff({ key: `${name}:${account}`, step, ...policy }).pipe(
    Effect.catch((failure) => Effect.logError("rate limiter unavailable, failing closed", name, failure._tag).pipe(Effect.as(null)))
  )
}

/** Reads every control without counting; decides whether the password may be verified. */
export const passwordAttemptGate = (backends: Backends, attempt: PasswordAttempt): Effect.Effect<PasswordGate> =>
  Effect.gen(function*() {
    const { ip, device } = attempt
    const [byIp, byPair, byDevice, backoff] = yield* Effect.all([
      ip === null ? admitted : limitBy(backends, "loginFailuresPerIp", ip, 0),
      ip === null ? admitted : limitBy(backends, "loginFailuresPerAccountIp", pairSubject(attempt, ip), 0),
      device === null ? admitted : limitBy(backends, "loginFailuresPerDevice", device, 0),
      // Without a device cookie the delay is needed for sure: read it in the same round trip.
      device === null ? accountBackoff(backends, attempt.account, "peek") : Effect.succeed(undefined)
    ], { concurrency: "unbounded" })
    const refused = firstRefusal(byIp, byPair)
    if (refused !== null) return { _tag: "Refused", refusal: refused } as const
    // A device over its own failure window (or unreadable) is not trusted: the delay applies.
    if (device !== null && byDevice._tag === "Admitted") return { _tag: "Verify", deviceTrusted: true, pendingFailures: 0 } as const
    const state = backoff ?? (yield* accountBackoff(backends, attempt.account, "peek"))
    if (state === null) return { _tag: "LimiterDown" } as const
    if (!state.allowed) return { _tag: "Delayed", retryAfter: state.retryAfter } as const
    return { _tag: "Verify", deviceTrusted: false, pendingFailures: state.failures } as const
  })

/** Counts one failed password everywhere it counts. An unreachable limiter is already logged by the gate. */
export const countFailedPassword = (backends: Backends, attempt: PasswordAttempt): Effect.Effect<void> => {
  const { ip, device } = attempt
  return Effect.all([
    ip === null ? Effect.void : limitBy(backends, "loginFailuresPerIp", ip),
    ip === null ? Effect.void : limitBy(backends, "loginFailuresPerAccountIp", pairSubject(attempt, ip)),
    device === null ? Effect.void : limitBy(backends, "loginFailuresPerDevice", device),
    accountBackoff(backends, attempt.account, "fail")
  ], { concurrency: "unbounded", discard: true })
}

/** A correct password ends the account's run of failures (only when one was read: no write on the common path). */
export const clearFailedPasswords = (backends: Backends, attempt: PasswordAttempt, gate: Extract<PasswordGate, { _tag: "Verify" }>): Effect.Effect<void> =>
  gate.deviceTrusted || gate.pendingFailures === 0 ? Effect.void : Effect.asVoid(accountBackoff(backends, attempt.account, "clear"))
