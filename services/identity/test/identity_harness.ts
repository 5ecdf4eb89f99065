/**
 * Runs identity programs against the real local bindings, each test with its
 * own isolate-memory caches (and a clock it controls), as the entrypoint does
 * with its per-isolate ones. Audit events go to a collecting trail (`audit`).
 */
import type { AuditTrail } from "@authrim/audit-trail"
import { collectingAuditTrail } from "@authrim/audit-trail/testing"
import { env } from "cloudflare:test"
import { SystemSettingsCache } from "@authrim/contracts"
import { Cause, Effect, Exit } from "effect"
import { ClientMemoryCache } from "../src/clients/client_memory_cache.ts"
import { IdentityBindings } from "../src/identity_bindings.ts"
import { ScopeMappingCache } from "../src/users/scope_mapping_cache.ts"

export const makeHarness = () => {
  let now = Date.now()
  const clock = { now: () => now, advance: (ms: number) => { now += ms } }
  const clientMemory = new ClientMemoryCache(clock.now)
  const bindings = {
    db: env.DB,
    clientsKv: env.CLIENTS,
    challenges: env.CHALLENGES,
    assertionJtis: env.ASSERTION_JTIS,
    clientMemory,
    scopeMappings: new ScopeMappingCache(clock.now),
    settingsKv: env.SETTINGS,
    settingsCache: new SystemSettingsCache(clock.now),
    environment: "development" as const
  }
  const audit = collectingAuditTrail()
  const provide = <A, E>(program: Effect.Effect<A, E, IdentityBindings | AuditTrail>) =>
    program.pipe(Effect.provideService(IdentityBindings, bindings), Effect.provide(audit.layer))
  return {
    clock,
    clientMemory,
    settingsCache: bindings.settingsCache,
    /** What the programs run here recorded on the audit trail. */
    audit,
    /** Runs to success (a typed failure rejects the promise). */
    run: <A, E>(program: Effect.Effect<A, E, IdentityBindings | AuditTrail>) => Effect.runPromise(provide(program)),
    /** Runs to the typed failure; fails the test if the program succeeds or dies. */
    fail: async <A, E>(program: Effect.Effect<A, E, IdentityBindings | AuditTrail>): Promise<E> => {
      const exit = await Effect.runPromiseExit(provide(program))
      if (Exit.isSuccess(exit)) throw new Error(`expected a failure, got ${JSON.stringify(exit.value)}`)
      const reason = exit.cause.reasons.find(Cause.isFailReason)
      if (reason === undefined) throw Cause.squash(exit.cause)
      return reason.error
    }
  }
}

/** A unique suffix so tests sharing a database never collide. */
export const unique = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`
