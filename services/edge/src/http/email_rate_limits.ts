/**
 * Rate limits of the email and password-recovery forms.
 *
 * - "Email me a link" (`/login/email`, `/password/forgot`): policies `emailPerIp` and
 *   `emailPerAddress` (rate_limit_policies.ts, overridable by `RATE_LIMIT_POLICIES`), both fail open.
 *   The address window counts unknown addresses too, so a refusal reveals nothing.
 * - Password changes per account: 10 per 15 minutes, and per IP the login
 *   policy. Every attempt counts, successful ones too.
 */
import { Effect } from "effect"
import type { Edge } from "../edge_layer.ts"
import type { RateLimitDecision } from "@authrim/contracts"
import type { RouteContext } from "../route_context.ts"
import { accountKey, clientIp, limitBy, LOGIN_PER_IP, rateLimitGate, type RateLimitPolicy } from "./rate_limit_gate.ts"

export const PASSWORD_CHANGE_PER_ACCOUNT: RateLimitPolicy = { name: "password-change:account", limit: 10, windowSeconds: 900 }

/** Counts one request against the IP policy (when the IP is known) and then the subject policy; the first denial, if any. */
const gate = Effect.fnUntraced(function*(ctx: RouteContext, request: Request, ipPolicy: RateLimitPolicy, subjectPolicy: RateLimitPolicy, subject: string) {
  const ip = clientIp(request)
  const byIp = ip === null ? null : yield* rateLimitGate(ipPolicy, ip)
  return byIp ?? (yield* rateLimitGate(subjectPolicy, subject))
})

/** Gate of "email me a link" forms, by IP (when known) and by target address (hashed): the denying decision, or null. */
export const emailRequestLimit = Effect.fnUntraced(function*(request: Request, email: string): Effect.fn.Return<RateLimitDecision | null, never, Edge> {
  const ip = clientIp(request)
  const byIp = ip === null ? null : yield* limitBy("emailPerIp", ip)
  if (byIp !== null && byIp._tag === "Limited") return byIp.decision
  const byAddress = yield* limitBy("emailPerAddress", yield* accountKey(email))
  return byAddress._tag === "Limited" ? byAddress.decision : null
})

/** Gate of the password-change form, by IP and by user id. */
export const passwordChangeLimit = (ctx: RouteContext, request: Request, userId: string) =>
  gate(ctx, request, LOGIN_PER_IP, PASSWORD_CHANGE_PER_ACCOUNT, userId)
