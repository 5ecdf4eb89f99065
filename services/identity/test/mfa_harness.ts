/**
 * Runs the second-factor programs against the real local D1, with a clock the
 * test moves (so replay and expiry are crossed without sleeping) and the
 * project's test-only `MFA_ENCRYPTION_KEY` binding, and computes the codes an authenticator app would show.
 */
import type { AuditTrail } from "@authrim/audit-trail"
import { env } from "cloudflare:test"
import { Clock, Effect } from "effect"
import { base32Decode } from "../src/mfa/base32.ts"
import type { IdentityBindings } from "../src/identity_bindings.ts"
import { hotp, totpStep } from "../src/mfa/totp_code.ts"
import { upsertUser } from "../src/users/users.ts"
import { mfaKeyLayer, type MfaKey } from "../src/mfa/mfa_key.ts"
import { makeHarness, unique } from "./identity_harness.ts"

/** A clock reading `now` until the test moves it. */
export class ManualClock implements Clock.Clock {
  readonly #live = Clock.Clock.defaultValue()
  constructor(public now: number) {}
  currentTimeMillisUnsafe = (): number => this.now
  currentTimeMillis = Effect.sync(() => this.now)
  currentTimeNanosUnsafe = (): bigint => BigInt(this.now) * 1_000_000n
  currentTimeNanos = Effect.sync(() => BigInt(this.now) * 1_000_000n)
  monotonicTimeNanosUnsafe = (): bigint => this.#live.monotonicTimeNanosUnsafe()
  monotonicTimeNanos = Effect.sync(() => this.#live.monotonicTimeNanosUnsafe())
  sleep = this.#live.sleep
}

export const makeMfaHarness = (start = 1_800_000_000_000) => {
  const harness = makeHarness()
  const clock = new ManualClock(start)
  const wrap = <A, E>(program: Effect.Effect<A, E, IdentityBindings | MfaKey | AuditTrail>) =>
    program.pipe(Effect.provide(mfaKeyLayer(env)), Effect.provideService(Clock.Clock, clock))
  return {
    clock,
    /** What the programs run here recorded on the audit trail. */
    audit: harness.audit,
    run: <A, E>(program: Effect.Effect<A, E, IdentityBindings | MfaKey | AuditTrail>) => harness.run(wrap(program)),
    fail: <A, E>(program: Effect.Effect<A, E, IdentityBindings | MfaKey | AuditTrail>) => harness.fail(wrap(program)),
    /** A fresh user with a password. */
    newUser: () => harness.run(upsertUser({ email: `${unique("mfa")}@example.test`, password: "pw-mfa-1234", name: null, emailVerified: true })),
    /** The code an app holding `secret` (base32) shows `offsetSteps` steps from the test clock's now. */
    codeAt: (secret: string, offsetSteps = 0) => Effect.runPromise(hotp(base32Decode(secret)!, totpStep(clock.now) + offsetSteps))
  }
}
