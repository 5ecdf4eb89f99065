/**
 * authrim-identity: the named entrypoints `IdentityForEdge`, `IdentityAdmin`
 * and `IdentitySeed` (identity_service.ts; one per caller role), its Durable
 * Objects, the audit trail's queue consumer and the daily cron
 * (queue_and_cron.ts). Internal only — callers use their entrypoint over a
 * service binding; HTTP gets a 404.
 */
import type { ServiceEnv } from "./env.ts"
import { handleAuditQueue, handleDailyCron } from "./queue_and_cron.ts"

export { ChallengeStore } from "./challenges/challenge_store.ts"
export { AssertionJtiStore } from "./clients/assertion_jti_store.ts"
export { IdentityAdmin, IdentityForEdge, IdentitySeed } from "./identity_service.ts"
export { IdentityDirectory } from "./identity_directory.ts"

export default {
  fetch: () => new Response("identity: internal service", { status: 404 }),
  /** The audit trail's consumer (src/audit/) and the daily purge + archive (src/queue_and_cron.ts). */
  queue: (batch, env) => handleAuditQueue(batch, env),
  scheduled: (controller, env, ctx) => ctx.waitUntil(handleDailyCron(controller, env))
} satisfies ExportedHandler<ServiceEnv>
