/**
 * Failed password sign-ins, counted per account and per client IP (issue 3):
 * before the password is verified both windows are only READ (`cost: 0`),
 * and a failure is counted afterwards — so successful sign-ins never fill a
 * window and never lock their own account out, while a full window refuses
 * even the right password until it ends.
 *
 * Both policies fail CLOSED when the limiter is unreachable: this counter is
 * the control against online password guessing, and while it is down
 * password sign-in answers 503 (passkeys, email links and upstream providers
 * keep working; existing sessions are untouched). See README "Rate limiting".
 *
 * Under concurrency the check and the count are two steps: N guesses sent in
 * parallel all pass the check before any is counted, so a window can admit
 * up to `limit − 1 +` the attempts in flight at once; they are all counted,
 * so the next ones are refused. The PBKDF2 cost of each verification bounds
 * what one burst can try.
 */
import { Effect } from "effect"
import type { EdgeContext } from "../edge_context.ts"
import { accountKey, clientIp, firstRefusal, limitBy, type RateLimitRefusal } from "./rate_limit_gate.ts"

/** Reads both windows without counting; the first refusal (IP first), or null to verify the password. */
export const passwordAttemptRefusal = (ctx: EdgeContext, request: Request, email: string): Effect.Effect<RateLimitRefusal | null> =>
  Effect.gen(function*() {
    const ip = clientIp(request)
    const [byIp, byAccount] = yield* Effect.all([
      ip === null ? Effect.succeed({ _tag: "Admitted", decision: null } as const) : limitBy(ctx.backends, "loginFailuresPerIp", ip, 0),
      Effect.flatMap(accountKey(email), (account) => limitBy(ctx.backends, "loginFailuresPerAccount", account, 0))
    ], { concurrency: "unbounded" })
    return firstRefusal(byIp, byAccount)
  })

/** Counts one failed password against the account and the IP. An unreachable limiter is already logged by the gate. */
export const countFailedPassword = (ctx: EdgeContext, request: Request, email: string): Effect.Effect<void> =>
  Effect.gen(function*() {
    const ip = clientIp(request)
    yield* Effect.all([
      ip === null ? Effect.void : limitBy(ctx.backends, "loginFailuresPerIp", ip),
      Effect.flatMap(accountKey(email), (account) => limitBy(ctx.backends, "loginFailuresPerAccount", account))
    ], { concurrency: "unbounded", discard: true })
  })
