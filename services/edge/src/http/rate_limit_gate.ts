/**
 * The edge's rate-limit gate (DESIGN §1): counts a request against a policy
 * in the ratelimit service. It fails OPEN when that service is unreachable —
 * an outage of a protective counter must not lock every user out of signing
 * in; the password hash cost still bounds guessing meanwhile.
 */
import type { RateLimitDecision } from "@authrim/contracts"
import { Effect } from "effect"
import type { Backends } from "../backends.ts"

/** A fixed-window limit for one kind of request (what, how many, per how long). */
export interface RateLimitPolicy {
  readonly name: string
  readonly limit: number
  readonly windowSeconds: number
}

/**
 * Password attempts per client IP: 100 per 5 minutes — room for a shared NAT
 * or an office, far below what online guessing needs.
 */
export const LOGIN_PER_IP: RateLimitPolicy = { name: "login:ip", limit: 100, windowSeconds: 300 }
/**
 * Password attempts per account, whatever the IP (credential stuffing from
 * many IPs): 30 per 15 minutes. Successful attempts count too — the ratelimit
 * contract has no way to test a counter without incrementing it, so counting
 * only failures could not stop a locked account's next guess. 30 leaves room
 * for scripted sign-ins of one test account (the e2e suite) and any human.
 */
export const LOGIN_PER_ACCOUNT: RateLimitPolicy = { name: "login:account", limit: 30, windowSeconds: 900 }
/** Token-endpoint requests per client IP: 300 per minute (refresh storms of a busy RP backend fit). */
export const TOKEN_PER_IP: RateLimitPolicy = { name: "token:ip", limit: 300, windowSeconds: 60 }

/** The client IP Cloudflare saw; null locally (then IP policies do not apply). */
export const clientIp = (request: Request): string | null => request.headers.get("cf-connecting-ip")

/** Counts one request; null when allowed (or the counter is unavailable), else the denying decision. */
export const rateLimitGate = (backends: Backends, policy: RateLimitPolicy, subject: string): Effect.Effect<RateLimitDecision | null> =>
  backends.rateLimit.check({ key: `${policy.name}:${subject}`.slice(0, 512), limit: policy.limit, windowSeconds: policy.windowSeconds }).pipe(
    Effect.map((decision) => (decision.allowed ? null : decision)),
    Effect.catch((failure) => Effect.logWarning("rate limit unavailable, failing open", failure._tag).pipe(Effect.as(null)))
  )

/** Hex SHA-256 of a lower-cased account identifier: rate-limit keys are labels, never personal data. */
export const accountKey = (email: string): Effect.Effect<string> =>
  Effect.promise(() => crypto.subtle.digest("SHA-256", new TextEncoder().encode(email.trim().toLowerCase()))).pipe(
    Effect.map((digest) => [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join(""))
  )
