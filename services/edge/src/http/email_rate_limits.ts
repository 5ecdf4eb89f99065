/**
 * Rate limits of the email and password-recovery forms (counted through
 * `rateLimitGate`, which fails open when the counter is down).
 *
 * - Emails (sign-in links, reset links) per target address: 5 per 15 minutes.
 *   Stops mail-bombing one inbox through the provider; a real user rarely
 *   needs more than two.
 * - Email requests per client IP: 30 per 15 minutes.
 * - Password changes per account: 10 per 15 minutes, and per IP the login
 *   policy. Every attempt counts, successful ones too: the ratelimit contract
 *   can only count-and-check, so "failures only" would need a read-only check
 *   method there (see services/edge/README.md).
 */
import { Effect } from "effect"
import type { EdgeContext } from "../edge_context.ts"
import { accountKey, clientIp, LOGIN_PER_IP, rateLimitGate, type RateLimitPolicy } from "./rate_limit_gate.ts"

export const EMAIL_PER_ADDRESS: RateLimitPolicy = { name: "email:address", limit: 5, windowSeconds: 900 }
export const EMAIL_PER_IP: RateLimitPolicy = { name: "email:ip", limit: 30, windowSeconds: 900 }
export const PASSWORD_CHANGE_PER_ACCOUNT: RateLimitPolicy = { name: "password-change:account", limit: 10, windowSeconds: 900 }

/** Counts one request against the IP policy (when the IP is known) and then the subject policy; the first denial, if any. */
const gate = (ctx: EdgeContext, request: Request, ipPolicy: RateLimitPolicy, subjectPolicy: RateLimitPolicy, subject: string) =>
  Effect.gen(function*() {
    const ip = clientIp(request)
    const byIp = ip === null ? null : yield* rateLimitGate(ctx.backends, ipPolicy, ip)
    return byIp ?? (yield* rateLimitGate(ctx.backends, subjectPolicy, subject))
  })

/** Gate of "email me a link" forms, by IP and by target address (hashed). */
export const emailRequestLimit = (ctx: EdgeContext, request: Request, email: string) =>
  Effect.flatMap(accountKey(email), (key) => gate(ctx, request, EMAIL_PER_IP, EMAIL_PER_ADDRESS, key))

/** Gate of the password-change form, by IP and by user id. */
export const passwordChangeLimit = (ctx: EdgeContext, request: Request, userId: string) =>
  gate(ctx, request, LOGIN_PER_IP, PASSWORD_CHANGE_PER_ACCOUNT, userId)
