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
import { writeLog } from "@authrim/contracts/log"

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
  /**
   * `/authorize` per client IP, every request: 300/min — a crawler or a loop, not a person, hits it. `/login`
   * (GET, POST) counts only its answers that are client errors no other control counted (issue 10:
   * `limitLoginPage`), and is refused from isolate memory once the IP is over it.
   */
  authorize: { name: "authorize:ip", limit: 300, windowSeconds: 60, onUnavailable: "open" },
  /**
   * FAILED passwords per (account, client IP) pair: 10 per 15 min. A hard limit, but only for that one
   * IP: guessing one account from one address stops, while the owner elsewhere is untouched. Across
   * IPs an account is protected by a progressive delay instead (`LOGIN_BACKOFF_PER_ACCOUNT`), never a
   * lock (issue 9 §4: the old per-account window let anyone lock a user out). Only failures count.
   */
  loginFailuresPerAccountIp: { name: "login-failures:account-ip", limit: 10, windowSeconds: 900, onUnavailable: "closed" },
  /** FAILED passwords per client IP, whatever the account (spraying): 100 per 5 min — room for a shared NAT. */
  loginFailuresPerIp: { name: "login-failures:ip", limit: 100, windowSeconds: 300, onUnavailable: "closed" },
  /**
   * FAILED passwords per remembered device (the device cookie, `device_cookie.ts`, names one account):
   * 5 per 15 min. Past it the cookie no longer exempts its browser from the account's delay — a stolen
   * or shared cookie cannot become a way around the backoff (OWASP "device cookie" lockout of the device).
   */
  loginFailuresPerDevice: { name: "login-failures:device", limit: 5, windowSeconds: 900, onUnavailable: "closed" },
  /**
   * Device-code polls per device code (RFC 8628 §3.5), every poll: 12 per minute = one per the
   * default 5 s interval on average. A flood guard beside the device store's own `slow_down`.
   */
  devicePoll: { name: "device-poll:code", limit: 12, windowSeconds: 60, onUnavailable: "open" },
  /**
   * `/register` (RFC 7591 registration and RFC 7592 configuration) per client IP, every request: 10 per hour —
   * an RP registers once; each request here also guesses a token. Open when the limiter is down: the tokens
   * themselves (256-bit) are the control, the window only caps the volume.
   */
  registration: { name: "registration:ip", limit: 10, windowSeconds: 3600, onUnavailable: "open" },
  /**
   * `/revoke`, `/introspect`, `/par` and `/device_authorization` per client IP, every request: 300/min like `/token` — these
   * authenticate a client (a secret or an assertion to guess) and look tokens up. Since issue 10 counted per
   * (IP, presented client_id) in the client's shard, so both windows are one limiter request; per IP alone
   * when no client_id is presented (`limitClientEndpoint`).
   */
  clientEndpointsPerIp: { name: "client-endpoints:ip", limit: 300, windowSeconds: 60, onUnavailable: "open" },
  /**
   * `/revoke`, `/introspect`, `/par` and `/device_authorization` per presented client_id, every request from any IP: 600/min —
   * twice the per-IP room, so one busy RP behind several IPs fits, while guessing one client's secret
   * from a botnet is capped. Keyed by the client_id as presented (not secret, a routing label).
   */
  clientEndpointsPerClient: { name: "client-endpoints:client", limit: 600, windowSeconds: 60, onUnavailable: "open" },
  /**
   * WRONG device user codes (`GET /device?user_code=`, RFC 8628 §5.1 "brute forcing the user code")
   * per client IP: 60 per 15 min (room for a shared NAT). With the 20^8 code space and the 15-minute
   * code life a guesser's odds stay negligible (§6.1). Read before the lookup, counted after a miss.
   */
  deviceCodeEntryPerIp: { name: "device-code-entry:ip", limit: 60, windowSeconds: 900, onUnavailable: "open" },
  /** WRONG device user codes per browser (its signed-in session id, hashed): 10 per 15 min — a person mistypes a code or two. */
  deviceCodeEntryPerBrowser: { name: "device-code-entry:browser", limit: 10, windowSeconds: 900, onUnavailable: "open" },
  /**
   * `/login/passkey` (GET starts a ceremony, POST checks an assertion) per client IP, every request:
   * 60 per 5 min. Each GET stores a challenge; the email-first variant looks an email up.
   */
  passkeyLoginPerIp: { name: "passkey-login:ip", limit: 60, windowSeconds: 300, onUnavailable: "open" },
  /** "Email me a link" forms (`/login/email`, `/password/forgot`) per client IP: 30 per 15 min. */
  emailPerIp: { name: "email:ip", limit: 30, windowSeconds: 900, onUnavailable: "open" },
  /**
   * Emails per target address (hashed), whatever the IP: 5 per 15 min. Stops mail-bombing one inbox
   * through the provider; a real user rarely needs more than two. Counted for unknown addresses
   * too, so the limit itself says nothing about whether an account exists.
   */
  emailPerAddress: { name: "email:address", limit: 5, windowSeconds: 900, onUnavailable: "open" }
} as const satisfies Record<string, RateLimitPolicy>

/** A progressive delay for one kind of failure (ratelimit `backoff`, contracts/src/ratelimit.ts). */
export interface BackoffPolicy {
  /** Key prefix in the limiter (`<name>:<subject>`). */
  readonly name: string
  readonly freeFailures: number
  readonly baseSeconds: number
  readonly maxSeconds: number
  readonly forgetSeconds: number
}

/**
 * Failed passwords per account, from any IP (credential stuffing): 3 free failures (typos), then the
 * next attempt is refused until 1 s, 2 s, 4 s … up to 15 minutes after the last failure; a day
 * without failures forgets the run, a successful sign-in clears it. Never a lock: at worst the owner
 * waits 15 minutes — and not at all in a browser that holds their device cookie (`device_cookie.ts`).
 * An online guesser gets about 100 tries a day per account (ASVS 4 V2.2.1). Fails closed like the
 * failure windows. Not configurable through `RATE_LIMIT_POLICIES` (a security control, not capacity).
 */
export const LOGIN_BACKOFF_PER_ACCOUNT: BackoffPolicy = {
  name: "login-backoff:account",
  freeFailures: 3,
  baseSeconds: 1,
  maxSeconds: 900,
  forgetSeconds: 86_400
}

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
    writeLog("error", "edge", "RATE_LIMIT_POLICIES is not a JSON object of {limit, windowSeconds}; using the defaults", null)
    return DEFAULT_POLICIES
  }
  const policies: Record<PolicyId, RateLimitPolicy> = { ...DEFAULT_POLICIES }
  for (const [id, override] of Object.entries(overrides.value)) {
    if (isPolicyId(id)) policies[id] = { ...DEFAULT_POLICIES[id], ...override }
  }
  return policies
}
