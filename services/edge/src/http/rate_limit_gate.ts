/**
 * The edge's rate-limit gate (DESIGN §1, issue 4): asks the ratelimit service
 * about a request under a policy (`rate_limit_policies.ts`) and turns the
 * answer into a verdict. When the service is unreachable the policy decides:
 * "open" admits and logs, "closed" refuses (see README "Rate limiting").
 */
import { sha256Hex } from "@authrim/platform"
import type { BackoffCheck, BackoffDecision, RateLimitDecision } from "@authrim/contracts"
import { Clock, Effect } from "effect"
import { Edge } from "../edge_layer.ts"
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
export const rateLimitVerdict = Effect.fnUntraced(function*(
  policy: RateLimitPolicy,
  subject: string,
  cost = 1
) {
  const { backends } = yield* Edge
  const key = policyKey(policy, subject)
  const memoryKey = refusalMemoryKey(policy, key)
  const known = knownRefusal(memoryKey, yield* Clock.currentTimeMillis)
  if (known !== null) return { _tag: "Limited", policy, decision: known } as const
  const decision = yield* backends.rateLimit.check({ key, limit: policy.limit, windowSeconds: policy.windowSeconds, cost })
  if (decision.allowed) return { _tag: "Admitted", decision } as const
  rememberRefusal(memoryKey, decision)
  return { _tag: "Limited", policy, decision } as const
}, (effect, policy) => effect.pipe(Effect.catch((failure) =>
      policy.onUnavailable === "closed"
        ? Effect.logError("rate limiter unavailable, failing closed", policy.name, failure._tag).pipe(
          Effect.as<RateLimitVerdict>({ _tag: "LimiterDown", policy })
        )
        : Effect.logWarning("rate limiter unavailable, failing open", policy.name, failure._tag).pipe(
          Effect.as<RateLimitVerdict>({ _tag: "Admitted", decision: null })
        )
    )))

/** The counter key of `subject` under `policy`: `<name>:<subject>`, cut to the contract's 512 characters. */
export const policyKey = (policy: RateLimitPolicy, subject: string): string => `${policy.name}:${subject}`.slice(0, 512)

// Same key under another limit or window (a changed policy) is another window: part of the memory key.
const refusalMemoryKey = (policy: RateLimitPolicy, key: string) => `${policy.limit}/${policy.windowSeconds}/${key}`

/** The refusal of `policy` for `subject` this isolate remembers (known_refusals.ts), or null: no limiter call. */
export const knownVerdict = (policy: RateLimitPolicy, subject: string): Effect.Effect<RateLimitRefusal | null> =>
  Effect.map(Clock.currentTimeMillis, (now) => {
    const known = knownRefusal(refusalMemoryKey(policy, policyKey(policy, subject)), now)
    return known === null ? null : { _tag: "Limited", policy, decision: known } as const
  })

/**
 * One window check of a batch ({@link limitAll}). `shardWith`: the key (another check's, or a
 * backoff's) whose shard this one shares, so the batch stays one Durable Object request per
 * subject (issue 10); absent, the key routes itself. A key must always be sent with the same one.
 */
export interface LimitCheck {
  readonly policy: RateLimitPolicy
  readonly subject: string
  /** 1 counts (default), 0 only reads. */
  readonly cost?: number
  readonly shardWith?: string
}

/**
 * What a batch answered: a verdict per check in the order given, and the backoff decisions —
 * null when they were not answered (a check was refused from isolate memory, so nothing was
 * asked, or the limiter was unreachable: a caller that needs them fails closed).
 */
export interface BatchVerdicts {
  readonly verdicts: ReadonlyArray<RateLimitVerdict>
  readonly backoffs: ReadonlyArray<BackoffDecision> | null
}

/**
 * Several checks (and backoff steps) of one request in ONE ratelimit call (`checkMany`, issue 10):
 * one Durable Object request per distinct shard among them. Every check is applied whatever the
 * others answer. A gate (`gate`, the default) answers from memory, without any call, when this
 * isolate already knows one of its checks refused (the request is refused anyway); a batch that
 * records what happened (`record`: counting a failure) is always sent, so nothing goes uncounted.
 * When the limiter is unreachable each check gets its policy's `onUnavailable`.
 */
export const limitAll = Effect.fnUntraced(function*(
  checks: ReadonlyArray<LimitCheck>,
  backoffs: ReadonlyArray<BackoffCheck> = [],
  purpose: "gate" | "record" = "gate"
): Effect.fn.Return<BatchVerdicts, never, Edge> {
  const { backends } = yield* Edge
  const now = yield* Clock.currentTimeMillis
  const keyed = checks.map((check) => ({ ...check, key: policyKey(check.policy, check.subject) }))
  const known = keyed.map((check) => (purpose === "gate" ? knownRefusal(refusalMemoryKey(check.policy, check.key), now) : null))
  if (known.some((decision) => decision !== null)) {
    const verdicts = keyed.map((check, i): RateLimitVerdict => {
      const decision = known[i]
      return decision === null || decision === undefined ? { _tag: "Admitted", decision: null } : { _tag: "Limited", policy: check.policy, decision }
    })
    return { verdicts, backoffs: null }
  }
  const windows = keyed.map((check) => ({
    key: check.key,
    limit: check.policy.limit,
    windowSeconds: check.policy.windowSeconds,
    cost: check.cost ?? 1,
    ...(check.shardWith === undefined ? {} : { shardKey: check.shardWith })
  }))
  const answer = yield* Effect.result(backends.rateLimit.checkMany({ windows, backoffs }))
  if (answer._tag === "Failure") {
    const verdicts: Array<RateLimitVerdict> = []
    for (const { policy } of keyed) {
      if (policy.onUnavailable === "closed") {
        yield* Effect.logError("rate limiter unavailable, failing closed", policy.name, answer.failure._tag)
        verdicts.push({ _tag: "LimiterDown", policy })
      } else {
        yield* Effect.logWarning("rate limiter unavailable, failing open", policy.name, answer.failure._tag)
        verdicts.push({ _tag: "Admitted", decision: null })
      }
    }
    if (backoffs.length > 0) yield* Effect.logError("rate limiter unavailable, failing closed", ...backoffs.map((b) => b.key.split(":").slice(0, 2).join(":")), answer.failure._tag)
    return { verdicts, backoffs: null }
  }
  const verdicts = keyed.map((check, i): RateLimitVerdict => {
    const decision = answer.success.windows[i]!
    if (decision.allowed) return { _tag: "Admitted", decision }
    rememberRefusal(refusalMemoryKey(check.policy, check.key), decision)
    return { _tag: "Limited", policy: check.policy, decision }
  })
  return { verdicts, backoffs: answer.success.backoffs }
})

/** {@link rateLimitVerdict} under the configured policy `id` (defaults overridden by `RATE_LIMIT_POLICIES`). */
export const limitBy = (id: PolicyId, subject: string, cost = 1): Effect.Effect<RateLimitVerdict, never, Edge> =>
  Edge.use(({ backends }) => rateLimitVerdict(backends.rateLimitPolicies[id], subject, cost))

/** The first refusal among verdicts taken in order, or null when all admitted. */
export const firstRefusal = (...verdicts: ReadonlyArray<RateLimitVerdict>): RateLimitRefusal | null =>
  verdicts.find((verdict): verdict is RateLimitRefusal => verdict._tag !== "Admitted") ?? null

/**
 * Counts one request; null when allowed (or the counter is unavailable), else
 * the denying decision. The older form, kept for the email, password-change
 * and second-factor gates: it always fails open.
 */
export const rateLimitGate = (policy: RateLimitPolicy, subject: string): Effect.Effect<RateLimitDecision | null, never, Edge> =>
  rateLimitVerdict({ ...policy, onUnavailable: "open" }, subject).pipe(
    Effect.map((verdict) => (verdict._tag === "Limited" ? verdict.decision : null))
  )

/** Hex SHA-256 of a lower-cased account identifier. */
export const accountKey = (email: string): Effect.Effect<string> => sha256Hex(email.trim().toLowerCase())
