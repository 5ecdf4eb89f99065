/**
 * An admin's "rotate now" (admin API, `rotate` with `actorId`): `admin.action`
 * by that admin, beside the `key.rotated` events the KeyManager records for
 * each key it made (key_lifecycle.ts). Public facts only: the active kids.
 */
import { auditEvent, AuditTrail } from "@authrim/audit-trail"
import type { KeyInfo } from "@authrim/contracts"
import { Clock, Effect } from "effect"

/** Records the admin's rotation request. */
export const auditAdminRotation = Effect.fnUntraced(function*(actorId: string, force: boolean, keys: ReadonlyArray<typeof KeyInfo.Type>) {
  const at = yield* Clock.currentTimeMillis
  const active = keys.filter((k) => k.active).map((k) => `${k.alg}:${k.kid}`).join(" ")
  yield* AuditTrail.use((trail) => trail.record([auditEvent({
    type: "admin.action", actor: { kind: "admin", id: actorId }, subject: { kind: "signing_keys", id: "all" }, at,
    details: { action: "key.rotate", forced: force, active }
  })]))
})
