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
 * Before the password is verified every control is only READ (window `cost: 0`, backoff `peek`),
 * in one ratelimit call of at most two Durable Object requests (the IP's shard, the account's);
 * failures are counted afterwards the same way, so correct passwords never fill anything. A refused attempt is
 * not verified and not counted. All controls fail CLOSED when the limiter is unreachable: while
 * they cannot be read or written passwords are not checked at all (503; passkeys, email links and
 * upstream providers keep working). Parallel guesses all pass the read before any is counted, so a
 * burst can exceed a window by the attempts in flight (each costs a PBKDF2 verification); every one
 * is counted, and the delay grows with each.
 */
import type { BackoffCheck, BackoffDecision, BackoffStep } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import type { Backends } from "../backends.ts"
import { firstRefusal, limitAll, policyKey, type LimitCheck, type RateLimitRefusal } from "./rate_limit_gate.ts"
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

const pairSubject = (attempt: PasswordAttempt, ip: string) => `${attempt.account}:${ip}`

/** The backoff key of the account (`login-backoff:account:<hash>`). */
const backoffKey = (attempt: PasswordAttempt) => `${LOGIN_BACKOFF_PER_ACCOUNT.name}:${attempt.account}`

/** One step of the account's delay, as a batch entry. */
const backoffStep = (attempt: PasswordAttempt, step: BackoffStep): BackoffCheck => {
  const { name: _name, ...policy } = LOGIN_BACKOFF_PER_ACCOUNT
  return { key: backoffKey(attempt), step, ...policy }
}

/**
 * The windows of an attempt, routed so that the attempt costs at most TWO Durable Object requests
 * (issue 10): the IP window and the (account, IP) pair in the IP window's shard (`shardWith`), the
 * device window beside the account's delay (a device cookie names one account, so its window is
 * still one key in one shard). `cost` 0 reads, 1 counts.
 */
const attemptWindows = (backends: Backends, attempt: PasswordAttempt, cost: number): Array<LimitCheck> => {
  const policies = backends.rateLimitPolicies
  const checks: Array<LimitCheck> = []
  if (attempt.ip !== null) {
    const ipKey = policyKey(policies.loginFailuresPerIp, attempt.ip)
    checks.push({ policy: policies.loginFailuresPerIp, subject: attempt.ip, cost })
    checks.push({ policy: policies.loginFailuresPerAccountIp, subject: pairSubject(attempt, attempt.ip), cost, shardWith: ipKey })
  }
  if (attempt.device !== null) checks.push({ policy: policies.loginFailuresPerDevice, subject: attempt.device, cost, shardWith: backoffKey(attempt) })
  return checks
}

/** Reads every control without counting (one ratelimit call); decides whether the password may be verified. */
export const passwordAttemptGate = Effect.fnUntraced(function*(attempt: PasswordAttempt): Effect.fn.Return<PasswordGate, never, Edge> {
  const { backends } = yield* Edge
  const checks = attemptWindows(backends, attempt, 0)
  // The delay is read in the same call even with a device cookie: it shares the device window's shard, so it costs no request.
  const { verdicts, backoffs } = yield* limitAll(checks, [backoffStep(attempt, "peek")])
  const ipVerdicts = attempt.ip === null ? [] : verdicts.slice(0, 2)
  const refused = firstRefusal(...ipVerdicts)
  if (refused !== null) return { _tag: "Refused", refusal: refused } as const
  // A device over its own failure window (or unreadable) is not trusted: the delay applies.
  const byDevice = attempt.device === null ? null : verdicts[verdicts.length - 1]
  if (byDevice !== null && byDevice !== undefined && byDevice._tag === "Admitted") return { _tag: "Verify", deviceTrusted: true, pendingFailures: 0 } as const
  // Not answered: the limiter is down, or the batch was answered from memory (the device known to be
  // over its window) — then the delay is read alone (a second call fails too when the limiter is down).
  const state: BackoffDecision | undefined = backoffs === null ? (yield* limitAll([], [backoffStep(attempt, "peek")])).backoffs?.[0] : backoffs[0]
  if (state === undefined) return { _tag: "LimiterDown" } as const
  if (!state.allowed) return { _tag: "Delayed", retryAfter: state.retryAfter } as const
  return { _tag: "Verify", deviceTrusted: false, pendingFailures: state.failures } as const
})

/**
 * Counts one failed password everywhere it counts, in one ratelimit call — always sent, even when this
 * isolate knows one of the windows is over (a device past its window must still push the account's
 * delay). An unreachable limiter is logged.
 */
export const countFailedPassword = (attempt: PasswordAttempt): Effect.Effect<void, never, Edge> =>
  Edge.use(({ backends }) => Effect.asVoid(limitAll(attemptWindows(backends, attempt, 1), [backoffStep(attempt, "fail")], "record")))

/** A correct password ends the account's run of failures (only when one was read: no write on the common path). */
export const clearFailedPasswords = (attempt: PasswordAttempt, gate: Extract<PasswordGate, { _tag: "Verify" }>): Effect.Effect<void, never, Edge> =>
  gate.deviceTrusted || gate.pendingFailures === 0 ? Effect.void : Effect.asVoid(limitAll([], [backoffStep(attempt, "clear")]))
