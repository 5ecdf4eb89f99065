/**
 * The edge's rate-limit gate (DESIGN §1, issue 4): asks the ratelimit service
 * about a request under a policy (`rate_limit_policies.ts`) and turns the
 * answer into a verdict. When the service is unreachable the policy decides:
 * "open" admits and logs, "closed" refuses (see README "Rate limiting").
 */
import type { RateLimitDecision } from "@authrim/contracts"
import { Clock, Effect } from "effect"
import type { Backends } from "../backends.ts"
import { knownRefusal, rememberRefusal } from "./known_refusals.ts"
import type { PolicyId, RateLimitPolicy } from "./rate_limit_policies.ts"

export type { RateLimitPolicy } from "./rate_limit_policies.ts"

/**
 * What the gate decided. `Admitted.decision` is null when the limiter was
 * unreachable and the policy fails open.
 */
export type RateLimitVerdict =
  | { readonly _tag: "Admitted"; readonly decision: RateLimitDecision | null }
  | { readonly _tag: "Limited"; readonly policy: RateLimitPolicy; readonly decision: RateLimitDecision }
  | { readonly _tag: "LimiterDown"; readonly policy: RateLimitPolicy }

/** A refusal: a verdict that is not `Admitted`. */
export type RateLimitRefusal = Exclude<RateLimitVerdict, { readonly _tag: "Admitted" }>

/**
 * Password attempts per client IP, EVERY attempt (used by the password-change
 * form, `email_rate_limits.ts`). Sign-in itself counts failures only
 * (`loginFailuresPerIp` in `rate_limit_policies.ts`).
 */
export const LOGIN_PER_IP: RateLimitPolicy = { name: "login:ip", limit: 100, windowSeconds: 300 }

/** The client IP Cloudflare saw; null locally (then IP policies do not apply). */
export const clientIp = (request: Request): string | null => request.headers.get("cf-connecting-ip")

/**
 * Asks about one request of `subject` under `policy`. `cost` 1 counts it;
 * `cost` 0 only reads the window (admitted when one more would fit), for
 * policies that count failures after the fact.
 */
export const rateLimitVerdict = (
  backends: Backends,
  policy: RateLimitPolicy,
  subject: string,
  cost = 1
): Effect.Effect<RateLimitVerdict> =>
  Effect.gen(function*() {
    const key = `${policy.name}:${subject}`.slice(0, 512)
    // Same key under another limit or window (a changed policy) is another window: part of the memory key.
    const memoryKey = `${policy.limit}/${policy.windowSeconds}/${key}`
    const known = knownRefusal(memoryKey, yield* Clock.currentTimeMillis)
    if (known !== null) return { _tag: "Limited", policy, decision: known } as const
    const decision = yield* backends.rateLimit.check({ key, limit: policy.limit, windowSeconds: policy.windowSeconds, cost })
    if (decision.allowed) return { _tag: "Admitted", decision } as const
    rememberRefusal(memoryKey, decision)
    return { _tag: "Limited", policy, decision } as const
  }).pipe(
    Effect.catch((failure) =>
      policy.onUnavailable === "closed"
        ? Effect.logError("rate limiter unavailable, failing closed", policy.name, failure._tag).pipe(
          Effect.as<RateLimitVerdict>({ _tag: "LimiterDown", policy })
        )
        : Effect.logWarning("rate limiter unavailable, failing open", policy.name, failure._tag).pipe(
          Effect.as<RateLimitVerdict>({ _tag: "Admitted", decision: null })
        )
    )
  )

/** {@link rateLimitVerdict} under the configured policy `id` (defaults overridden by `RATE_LIMIT_POLICIES`). */
export const limitBy = (backends: Backends, id: PolicyId, subject: string, cost = 1): Effect.Effect<RateLimitVerdict> =>
  rateLimitVerdict(backends, backends.rateLimitPolicies[id], subject, cost)

/** The first refusal among verdicts taken in order, or null when all admitted. */
export const firstRefusal = (...verdicts: ReadonlyArray<RateLimitVerdict>): RateLimitRefusal | null =>
  verdicts.find((verdict): verdict is RateLimitRefusal => verdict._tag !== "Admitted") ?? null

/**
 * Counts one request; null when allowed (or the counter is unavailable), else
 * the denying decision. The older form, kept for the email, password-change
 * and second-factor gates: it always fails open.
 */
export const rateLimitGate = (backends: Backends, policy: RateLimitPolicy, subject: string): Effect.Effect<RateLimitDecision | null> =>
  rateLimitVerdict(backends, { ...policy, onUnavailable: "open" }, subject).pipe(
    Effect.map((verdict) => (verdict._tag === "Limited" ? verdict.decision : null))
  )

/** Hex SHA-256 of a string: rate-limit keys are labels, never personal data or secrets. */
export const sha256Hex = (value: string): Effect.Effect<string> =>
  Effect.promise(() => crypto.subtle.digest("SHA-256", new TextEncoder().encode(value))).pipe(
    Effect.map((digest) => [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join(""))
  )

/** Hex SHA-256 of a lower-cased account identifier. */
export const accountKey = (email: string): Effect.Effect<string> => sha256Hex(email.trim().toLowerCase())
