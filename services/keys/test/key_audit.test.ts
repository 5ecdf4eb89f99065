/**
 * `key.rotated` (issue 11 §2): recorded by the KeyManager — where rotations
 * happen — by the system actor, one message per maintenance run, with kid,
 * alg, the key it replaced and why (initial / scheduled / forced). The cron
 * path runs outside any request, so it names no request. The trail here is
 * the test one that keeps what it is given, installed like the manual clock.
 */
import { collectingAuditTrail, type CollectedAudit } from "@authrim/audit-trail/testing"
import { env } from "cloudflare:workers"
import { createExecutionContext, createScheduledController, runInDurableObject, waitOnExecutionContext } from "cloudflare:test"
import { describe, expect, it } from "vitest"
import worker from "../src/index.ts"
import { keyManagerName } from "../src/env.ts"
import type { KeyManager } from "../src/key_manager.ts"
import { day, installManualClock } from "./manual_clock.ts"

const installAudit = async (stub: DurableObjectStub<KeyManager>): Promise<CollectedAudit> => {
  const audit = collectingAuditTrail()
  await runInDurableObject(stub, (instance: KeyManager) => {
    instance.audit = audit.service
  })
  return audit
}

const summary = (audit: CollectedAudit) =>
  audit.events().map((e) => ({ type: e.type, actor: e.actor, alg: e.details["alg"], reason: e.details["reason"], previous: e.details["previous_kid"], kid: e.details["kid"], subject: e.subject?.id }))
    .sort((a, b) => String(a.alg).localeCompare(String(b.alg)))

describe("key.rotated audit events", () => {
  it("initial keys, a scheduled rotation at 90 days and a forced one: one message each, by the system", async () => {
    const keyManager = env.KEY_MANAGER.get(env.KEY_MANAGER.newUniqueId())
    const clock = await installManualClock(keyManager)
    const audit = await installAudit(keyManager)
    const first = await keyManager.listKeys()
    expect(audit.batches).toHaveLength(1)
    const system = { kind: "system", id: "authrim-keys" }
    expect(summary(audit)).toEqual(first.map((k) => ({ type: "key.rotated", actor: system, alg: k.alg, reason: "initial", previous: null, kid: k.kid, subject: k.kid }))
      .sort((a, b) => a.alg.localeCompare(b.alg)))

    audit.clear()
    await keyManager.rotate(false)
    expect(audit.batches).toEqual([]) // nothing due, nothing recorded
    clock.advance(90 * day)
    const rotated = (await keyManager.rotate(false)).filter((k) => k.active)
    expect(audit.batches).toHaveLength(1)
    expect(summary(audit).map((e) => [e.alg, e.reason, e.previous, e.kid]).sort()).toEqual(
      rotated.map((k) => [k.alg, "scheduled", first.find((f) => f.alg === k.alg)!.kid, k.kid]).sort()
    )

    audit.clear()
    await keyManager.rotate(true)
    expect(audit.batches).toHaveLength(1)
    expect(summary(audit).map((e) => e.reason)).toEqual(["forced", "forced"])
    expect(JSON.stringify(audit.events())).not.toMatch(/"d"|privateJwk|BEGIN/)
  })

  it("the daily cron's rotation is recorded too, with no request to name", async () => {
    const keyManager = env.KEY_MANAGER.get(env.KEY_MANAGER.idFromName(keyManagerName))
    const clock = await installManualClock(keyManager)
    await keyManager.jwks()
    const audit = await installAudit(keyManager)
    clock.advance(90 * day)
    const ctx = createExecutionContext()
    worker.scheduled(createScheduledController({ cron: "0 3 * * *", scheduledTime: clock.now }), env, ctx)
    await waitOnExecutionContext(ctx)
    expect(audit.batches).toHaveLength(1)
    expect(audit.events().map((e) => [e.type, e.details["reason"], e.requestId])).toEqual([["key.rotated", "scheduled", null], ["key.rotated", "scheduled", null]])
  })
})
