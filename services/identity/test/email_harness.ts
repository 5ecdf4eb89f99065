/**
 * For email tests: the real outbox sender (D1 `email_outbox`) and a manual
 * Effect clock, layered over the identity harness's bindings.
 */
import type { AuditTrail } from "@authrim/audit-trail"
import { env } from "cloudflare:test"
import { Clock, Effect } from "effect"
import { EmailSender, outboxSenderLayer } from "../src/email/email_sender.ts"
import { readOutbox } from "../src/email/email_outbox.ts"
import { IdentityBindings } from "../src/identity_bindings.ts"
import { makeHarness } from "./identity_harness.ts"

/** A clock tests move by hand. */
export class ManualClock implements Clock.Clock {
  readonly #live = Clock.Clock.defaultValue()
  constructor(public now: number) {}
  advance(ms: number): void {
    this.now += ms
  }
  currentTimeMillisUnsafe = (): number => this.now
  currentTimeMillis = Effect.sync(() => this.now)
  currentTimeNanosUnsafe = (): bigint => BigInt(this.now) * 1_000_000n
  currentTimeNanos = Effect.sync(() => BigInt(this.now) * 1_000_000n)
  monotonicTimeNanosUnsafe = (): bigint => this.#live.monotonicTimeNanosUnsafe()
  monotonicTimeNanos = Effect.sync(() => this.#live.monotonicTimeNanosUnsafe())
  sleep = this.#live.sleep
}

export const makeEmailHarness = () => {
  const base = makeHarness()
  const clock = new ManualClock(Date.now())
  const withEmail = <A, E>(program: Effect.Effect<A, E, IdentityBindings | EmailSender | AuditTrail>) =>
    Effect.provideService(Effect.provide(program, outboxSenderLayer(env.DB)), Clock.Clock, clock)
  return {
    clock,
    /** What the programs run here recorded on the audit trail. */
    audit: base.audit,
    run: <A, E>(program: Effect.Effect<A, E, IdentityBindings | EmailSender | AuditTrail>) => base.run(withEmail(program)),
    fail: <A, E>(program: Effect.Effect<A, E, IdentityBindings | EmailSender | AuditTrail>) => base.fail(withEmail(program)),
    /** The newest outbox message to `to`, or undefined. */
    latestMail: async (to: string) => (await base.run(withEmail(readOutbox({ to, limit: 1 })))).messages[0],
    /** The `token` query parameter of the first link in the newest message to `to`. */
    latestToken: async (to: string): Promise<string> => {
      const mail = (await base.run(withEmail(readOutbox({ to, limit: 1 })))).messages[0]
      const link = mail?.text.match(/https?:\/\/\S+/)?.[0]
      const token = link === undefined ? null : new URL(link).searchParams.get("token")
      if (token === null) throw new Error(`no link mailed to ${to}`)
      return token
    }
  }
}
