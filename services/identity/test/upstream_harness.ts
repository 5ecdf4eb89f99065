/**
 * Runs upstream-provider programs against the real local D1 and KV bindings,
 * each test with fresh isolate caches and a `fetch` that refuses to leave the
 * test (network paths are covered end to end in services/edge/e2e).
 */
import type { AuditTrail } from "@authrim/audit-trail"
import { collectingAuditTrail } from "@authrim/audit-trail/testing"
import { env } from "cloudflare:test"
import { Cause, Effect, Exit } from "effect"
import { ProviderListCache } from "../src/upstream/provider_list_cache.ts"
import { UpstreamBindings } from "../src/upstream/upstream_bindings.ts"
import { UpstreamMetadataCache } from "../src/upstream/upstream_metadata_cache.ts"

export const makeUpstreamHarness = () => {
  const audit = collectingAuditTrail()
  const provide = <A, E>(program: Effect.Effect<A, E, UpstreamBindings | AuditTrail>) =>
    Effect.provideService(Effect.provide(program, audit.layer), UpstreamBindings, {
      db: env.DB,
      stateKv: env.STATE_STORE,
      nonceKv: env.NONCE_STORE,
      providers: new ProviderListCache(),
      metadata: new UpstreamMetadataCache(),
      fetch: () => Promise.reject(new Error("no network in this test"))
    })
  return {
    /** What the programs run here recorded on the audit trail. */
    audit,
    run: <A, E>(program: Effect.Effect<A, E, UpstreamBindings | AuditTrail>) => Effect.runPromise(provide(program)),
    fail: async <A, E>(program: Effect.Effect<A, E, UpstreamBindings | AuditTrail>): Promise<E> => {
      const exit = await Effect.runPromiseExit(provide(program))
      if (Exit.isSuccess(exit)) throw new Error(`expected a failure, got ${JSON.stringify(exit.value)}`)
      const reason = exit.cause.reasons.find(Cause.isFailReason)
      if (reason === undefined) throw Cause.squash(exit.cause)
      return reason.error
    }
  }
}
