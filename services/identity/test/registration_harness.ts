/**
 * For dynamic-registration tests: the identity harness plus the real KV
 * `INITIAL_ACCESS_TOKENS` and a manual Effect clock (token expiry).
 */
import type { AuditTrail } from "@authrim/audit-trail"
import { env } from "cloudflare:test"
import { Clock, Effect } from "effect"
import { RegistrationKv } from "../src/clients/registration_bindings.ts"
import type { IdentityBindings } from "../src/identity_bindings.ts"
import { ManualClock } from "./email_harness.ts"
import { makeHarness } from "./identity_harness.ts"

type Needs = IdentityBindings | RegistrationKv | AuditTrail

export const makeRegistrationHarness = () => {
  const base = makeHarness()
  const clock = new ManualClock(Date.now())
  const provide = <A, E>(program: Effect.Effect<A, E, Needs>) =>
    program.pipe(Effect.provideService(RegistrationKv, { initialAccessTokens: env.INITIAL_ACCESS_TOKENS }), Effect.provideService(Clock.Clock, clock))
  return {
    clock,
    audit: base.audit,
    run: <A, E>(program: Effect.Effect<A, E, Needs>) => base.run(provide(program)),
    fail: <A, E>(program: Effect.Effect<A, E, Needs>) => base.fail(provide(program)),
    /** Settles to the value or the typed failure (for races). */
    settle: <A, E>(program: Effect.Effect<A, E, Needs>) => base.run(Effect.result(provide(program)))
  }
}
