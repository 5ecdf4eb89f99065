/**
 * Rate-limit policies per surface (issue 4). Each is a fixed window counted
 * in the ratelimit service under `<key>:<subject>`. Defaults are below; an
 * operator overrides `limit`/`windowSeconds` of any of them with the
 * `RATE_LIMIT_POLICIES` var, a JSON object keyed by policy id, e.g.
 * `{"token":{"limit":600,"windowSeconds":60}}`. What a policy does when the
 * limiter is unreachable (`onUnavailable`) is a security decision and is not
 * configurable: see services/edge/README.md "Rate limiting".
 */
import { Option, Schema } from "effect"
import { RATE_LIMIT_MAX_WINDOW_SECONDS } from "@authrim/contracts/ratelimit"

/** A fixed-window limit for one kind of request. */
export interface RateLimitPolicy {
  /** Key prefix in the counter (`<name>:<subject>`). Renaming one restarts its windows. */
  readonly name: string
  readonly limit: number
  readonly windowSeconds: number
  /**
   * When the limiter cannot answer: "open" admits the request (and logs),
   * "closed" refuses it with 503. Absent = "open".
   */
  readonly onUnavailable?: "open" | "closed"
}

/** The surfaces with a policy (ids of `RATE_LIMIT_POLICIES`). */
export type PolicyId = keyof typeof DEFAULT_POLICIES

/** Default policies; the doc comment of each says why its numbers. */
export const DEFAULT_POLICIES = {
  /** `/token` per client IP, every request: 300/min fits the refresh storms of a busy RP backend behind one IP. */
  token: { name: "token:ip", limit: 300, windowSeconds: 60, onUnavailable: "open" },
  /** `/authorize` and `/login` (GET and POST) per client IP, every request: 300/min — a crawler or a loop, not a person, hits it. */
  authorize: { name: "authorize:ip", limit: 300, windowSeconds: 60, onUnavailable: "open" },
  /**
   * FAILED passwords per account, whatever the IP (credential stuffing from many IPs): 30 per 15 min.
   * Only failures count; a correct password is still refused once the window is full.
   */
  loginFailuresPerAccount: { name: "login-failures:account", limit: 30, windowSeconds: 900, onUnavailable: "closed" },
  /** FAILED passwords per client IP, whatever the account (spraying): 100 per 5 min — room for a shared NAT. */
  loginFailuresPerIp: { name: "login-failures:ip", limit: 100, windowSeconds: 300, onUnavailable: "closed" },
  /**
   * Device-code polls per device code (RFC 8628 §3.5), every poll: 12 per minute = one per the
   * default 5 s interval on average. A flood guard beside the device store's own `slow_down`.
   */
  devicePoll: { name: "device-poll:code", limit: 12, windowSeconds: 60, onUnavailable: "open" },
  /** Dynamic client registration per client IP (no endpoint yet): 10 per hour. */
  registration: { name: "registration:ip", limit: 10, windowSeconds: 3600, onUnavailable: "open" }
} as const satisfies Record<string, RateLimitPolicy>

/** The policies in force for one request. */
export type RateLimitPolicies = Readonly<Record<PolicyId, RateLimitPolicy>>

const Override = Schema.Struct({
  limit: Schema.Number.check(Schema.isInt(), Schema.isGreaterThan(0)),
  windowSeconds: Schema.Number.check(Schema.isInt(), Schema.isBetween({ minimum: 1, maximum: RATE_LIMIT_MAX_WINDOW_SECONDS }))
})
const Overrides = Schema.Record(Schema.String, Override)
const decodeOverrides = Schema.decodeUnknownOption(Overrides)

const isPolicyId = (id: string): id is PolicyId => Object.hasOwn(DEFAULT_POLICIES, id)

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/**
 * The defaults with the `RATE_LIMIT_POLICIES` overrides applied. A var that is
 * not valid JSON of the expected shape is ignored as a whole (with an error
 * log): the defaults still protect, and half-applied configuration would be
 * harder to notice. Unknown ids are ignored.
 */
export const rateLimitPoliciesFrom = (configured: string | undefined): RateLimitPolicies => {
  if (configured === undefined || configured.trim() === "") return DEFAULT_POLICIES
  const overrides = decodeOverrides(parseJson(configured))
  if (Option.isNone(overrides)) {
    console.error("authrim-edge: RATE_LIMIT_POLICIES is not a JSON object of {limit, windowSeconds}; using the defaults")
    return DEFAULT_POLICIES
  }
  const policies: Record<PolicyId, RateLimitPolicy> = { ...DEFAULT_POLICIES }
  for (const [id, override] of Object.entries(overrides.value)) {
    if (isPolicyId(id)) policies[id] = { ...DEFAULT_POLICIES[id], ...override }
  }
  return policies
}
