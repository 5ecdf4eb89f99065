/**
 * How a refused request is answered. A limited request gets 429 (RFC 6585 §4)
 * with `Retry-After` and the RateLimit header fields of
 * draft-ietf-httpapi-ratelimit-headers (the separate `RateLimit-Limit`,
 * `RateLimit-Remaining`, `RateLimit-Reset` form, reset in delta seconds —
 * the form most clients already parse). A request refused because the
 * limiter is down (fail-closed policies) gets 503 with `Retry-After`.
 * OAuth endpoints answer an RFC 6749 §5.2 body with `temporarily_unavailable`
 * (the closest registered code; `slow_down` is reserved to device polling);
 * browser surfaces answer a page. Admitted `/token` requests carry the same
 * RateLimit fields (no `Retry-After`), so a client can pace itself before it
 * is refused.
 */
import type { RateLimitDecision } from "@authrim/contracts"
import { wireErrorPage } from "../pages/error_page.ts"
import { DEFAULT_LOCALE, type Locale } from "../i18n/locale.ts"
import { t } from "../i18n/translate.ts"
import { wireErrorJson } from "./oauth_json.ts"
import type { RateLimitRefusal } from "./rate_limit_gate.ts"

/** Seconds a client should wait after the limiter was unreachable. */
export const LIMITER_DOWN_RETRY_AFTER = 30

/** `Retry-After` and the RateLimit fields of a denying decision. */
export const rateLimitHeaders = (decision: RateLimitDecision): Record<string, string> => ({
  "retry-after": String(decision.retryAfter),
  "ratelimit-limit": String(decision.limit),
  "ratelimit-remaining": String(Math.max(0, decision.limit - decision.current)),
  "ratelimit-reset": String(decision.retryAfter)
})

/**
 * The RateLimit fields of an admitted request: what is left of the window and
 * the seconds until it resets (`now` in epoch ms, as `resetAt`).
 */
export const admittedRateLimitHeaders = (decision: RateLimitDecision, now: number): Record<string, string> => ({
  "ratelimit-limit": String(decision.limit),
  "ratelimit-remaining": String(Math.max(0, decision.limit - decision.current)),
  "ratelimit-reset": String(Math.max(0, Math.ceil((decision.resetAt - now) / 1000)))
})

/** The headers of any refusal (a limiter outage has only `Retry-After`). */
export const refusalHeaders = (refusal: RateLimitRefusal): Record<string, string> =>
  refusal._tag === "Limited" ? rateLimitHeaders(refusal.decision) : { "retry-after": String(LIMITER_DOWN_RETRY_AFTER) }

/** The wire error of a refusal. */
const refusalWire = (refusal: RateLimitRefusal) =>
  refusal._tag === "Limited"
    ? { code: "temporarily_unavailable", description: "too many requests, retry later", status: 429 } as const
    : { code: "temporarily_unavailable", description: "the service is temporarily unavailable, retry later", status: 503 } as const

/** JSON answer of an OAuth endpoint (token, device authorization, registration). */
export const refusedJson = (refusal: RateLimitRefusal): Response => wireErrorJson(refusalWire(refusal), refusalHeaders(refusal))

/** Page answer of a browser surface (authorize, login), its message in `locale` (the code and headers as for any client). */
export const refusedPage = (refusal: RateLimitRefusal, locale: Locale = DEFAULT_LOCALE): Response => {
  const message = refusal._tag === "Limited"
    ? t(locale, "rateLimit.tooMany", { seconds: refusal.decision.retryAfter })
    : t(locale, "rateLimit.unavailable", { seconds: LIMITER_DOWN_RETRY_AFTER })
  const response = wireErrorPage(refusalWire(refusal), locale, message)
  for (const [name, value] of Object.entries(refusalHeaders(refusal))) response.headers.set(name, value)
  return response
}
