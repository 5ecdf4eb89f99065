/**
 * The audit trail's consumer and archive against workerd's local Queue, D1 and
 * R2 (issue 11 §2): events land exactly once, redelivery duplicates nothing, a
 * failed write retries, the archive moves old rows to R2 without loss.
 */
import { auditEvent } from "@authrim/audit-trail"
import { Unavailable, type AuditBatch, type AuditEvent } from "@authrim/contracts"
import { createExecutionContext, createMessageBatch, createScheduledController, env, getQueueResult } from "cloudflare:test"
import { Effect } from "effect"
import { beforeEach, describe, expect, it, vi } from "vitest"
import worker from "../src/index.ts"
import { ARCHIVE_ROWS_PER_OBJECT, AUDIT_RETENTION_MS, archiveAuditLog, readArchivedDay } from "../src/audit/audit_archive.ts"
import { countAuditEventsPerDay, queryAuditLog } from "../src/audit/audit_query.ts"
import { auditInserts, auditRetryDelaySeconds } from "../src/audit/audit_writer.ts"

const DAY = 24 * 60 * 60 * 1000
const count = async (where = "1 = 1") =>
  (await env.DB.prepare(`SELECT COUNT(*) AS n, COUNT(DISTINCT id) AS d FROM audit_log WHERE ${where}`).first<{ n: number; d: number }>())!

const signInEvents = (n: number, user: string, at = Date.now()): Array<AuditEvent> =>
  Array.from({ length: n }, (_, i) => auditEvent({
    type: i % 2 === 0 ? "sign_in.succeeded" : "token.issued",
    actor: { kind: "user", id: user }, userId: user, clientId: "client-a", ip: "203.0.113.9", userAgent: "test", requestId: `req-${user}`,
    details: { method: "password", i }, at: at + i
  }))

const deliver = async (messages: ReadonlyArray<{ id: string; body: unknown; attempts?: number }>) => {
  const batch = createMessageBatch("authrim-audit", messages.map((m) => ({ id: m.id, timestamp: Date.now(), attempts: m.attempts ?? 1, body: m.body })))
  const ctx = createExecutionContext()
  await worker.queue(batch, env)
  return getQueueResult(batch, ctx)
}

const insertRows = async (events: ReadonlyArray<AuditEvent>) => {
  const statements = auditInserts(env.DB, events)
  for (let i = 0; i < statements.length; i += 500) await env.DB.batch(statements.slice(i, i + 500))
}

beforeEach(async () => {
  await env.DB.exec("DELETE FROM audit_log")
  const listed = await env.AUDIT_ARCHIVE!.list()
  if (listed.objects.length > 0) await env.AUDIT_ARCHIVE!.delete(listed.objects.map((o) => o.key))
})

describe("audit consumer", () => {
  it("1,000 events sent concurrently as 20 sign-ins' messages through the real queue all land exactly once", async () => {
    const batches: Array<AuditBatch> = Array.from({ length: 20 }, (_, i) => ({ v: 1, events: signInEvents(50, `user-${i}`) }))
    await Promise.all(batches.map((batch) => env.AUDIT_QUEUE!.send(batch)))
    await vi.waitFor(async () => expect((await count()).n).toBe(1000), { timeout: 30_000, interval: 200 })
    expect(await count()).toEqual({ n: 1000, d: 1000 })
    const row = await env.DB.prepare("SELECT * FROM audit_log WHERE user_id = 'user-3' ORDER BY id LIMIT 1").first<Record<string, unknown>>()
    expect(row).toMatchObject({ action: "sign_in.succeeded", actor_type: "user", actor_id: "user-3", client_id: "client-a", ip: "203.0.113.9", request_id: "req-user-3", outcome: "success" })
    expect(JSON.parse(String(row!["metadata"]))).toEqual({ method: "password", i: 0 })
  })

  it("acknowledges a written delivery, and a redelivered batch writes nothing twice", async () => {
    const messages = Array.from({ length: 5 }, (_, i) => ({ id: `m${i}`, body: { v: 1, events: signInEvents(40, `u${i}`) } }))
    const first = await deliver(messages)
    expect(first.explicitAcks.sort()).toEqual(["m0", "m1", "m2", "m3", "m4"])
    const again = await deliver(messages.map((m) => ({ ...m, attempts: 2 })))
    expect(again.explicitAcks).toHaveLength(5)
    expect(await count()).toEqual({ n: 200, d: 200 })
  })

  it("retries every message with backoff when D1 refuses the write, and writes them on the next delivery", async () => {
    const messages = [{ id: "a", body: { v: 1, events: signInEvents(10, "x") } }, { id: "b", body: { v: 1, events: signInEvents(10, "y") } }]
    await env.DB.exec("ALTER TABLE audit_log RENAME TO audit_log_away")
    let refused
    try {
      refused = await deliver(messages.map((m) => ({ ...m, attempts: 3 })))
    } finally {
      await env.DB.exec("ALTER TABLE audit_log_away RENAME TO audit_log")
    }
    expect(refused.explicitAcks).toEqual([])
    expect(refused.retryMessages.map((m) => m.msgId).sort()).toEqual(["a", "b"])
    // (the test harness does not record delaySeconds; the backoff each retry asks for:)
    expect([1, 2, 3, 8, 9, 20].map(auditRetryDelaySeconds)).toEqual([2, 4, 8, 256, 300, 300])
    expect((await count()).n).toBe(0)
    const retried = await deliver(messages.map((m) => ({ ...m, attempts: 4 })))
    expect(retried.explicitAcks.sort()).toEqual(["a", "b"])
    expect((await count()).n).toBe(20)
  })

  it("never acknowledges a message that does not decode (it goes on to the dead-letter queue), and still writes the good ones", async () => {
    const result = await deliver([
      { id: "good", body: { v: 1, events: signInEvents(3, "z") } },
      { id: "bad", body: { v: 1, events: [{ id: "x", type: "made.up" }] } },
      { id: "junk", body: "not json" }
    ])
    expect(result.explicitAcks).toEqual(["good"])
    expect(result.retryMessages.map((m) => m.msgId).sort()).toEqual(["bad", "junk"])
    expect((await count()).n).toBe(3)
  })
})

describe("audit read side", () => {
  it("filters by user, client, type and time, newest first, by cursor", async () => {
    const base = Date.UTC(2026, 10, 1)
    await insertRows([...signInEvents(30, "alice", base), ...signInEvents(10, "bob", base + DAY)])
    const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect)
    const first = await run(queryAuditLog(env.DB, { userId: "alice", limit: 12 }))
    expect(first.entries).toHaveLength(12)
    expect(first.entries.every((e) => e.user_id === "alice")).toBe(true)
    const ids: Array<string> = first.entries.map((e) => e.id)
    let cursor = first.nextCursor
    while (cursor !== null) {
      const page = await run(queryAuditLog(env.DB, { userId: "alice", limit: 12, cursor }))
      ids.push(...page.entries.map((e) => e.id))
      cursor = page.nextCursor
    }
    expect(ids).toHaveLength(30)
    expect([...ids].sort().reverse()).toEqual(ids)
    expect((await run(queryAuditLog(env.DB, { type: "token.issued", from: base + DAY }))).entries).toHaveLength(5)
    expect((await run(queryAuditLog(env.DB, { clientId: "nobody" }))).entries).toEqual([])
  })

  it("counts one event type per UTC day within [from, to) (the console's sign-ins per day)", async () => {
    const base = Date.UTC(2026, 10, 1)
    // alice: 15 sign-ins on Nov 1 (and 15 token.issued); bob: 5 on Nov 2, the last ones close to midnight of Nov 3.
    await insertRows([...signInEvents(30, "alice", base), ...signInEvents(10, "bob", base + 2 * DAY - 5), ...signInEvents(4, "carol", base + 5 * DAY)])
    const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect)
    const counted = await run(countAuditEventsPerDay(env.DB, { type: "sign_in.succeeded", from: base, to: base + 5 * DAY }))
    expect(counted.days).toEqual([{ day: "2026-11-01", count: 15 }, { day: "2026-11-02", count: 3 }, { day: "2026-11-03", count: 2 }])
    expect((await run(countAuditEventsPerDay(env.DB, { type: "logout", from: base, to: base + 9 * DAY }))).days).toEqual([])
  })
})

describe("audit archive", () => {
  const now = Date.UTC(2026, 11, 3, 2, 0, 0)
  const old = now - AUDIT_RETENTION_MS - 3 * DAY

  it("moves 25,000 rows older than 90 days into 3 gzip NDJSON objects of ≤ 10,000 and keeps the young rows", async () => {
    const oldEvents = signInEvents(25_000, "archived", old)
    await insertRows([...oldEvents, ...signInEvents(100, "young", now - DAY)])
    await worker.scheduled(createScheduledController({ scheduledTime: now, cron: "0 2 * * *" }), env, createExecutionContext())
    // the handler's work runs in waitUntil: wait until the archive has taken every old row
    await vi.waitFor(async () => expect((await count()).n).toBe(100), { timeout: 60_000, interval: 250 })
    const objects = (await env.AUDIT_ARCHIVE!.list({ include: ["customMetadata"] })).objects
    expect(objects.map((o) => Number(o.customMetadata?.["rows"])).sort((a, b) => b - a)).toEqual([ARCHIVE_ROWS_PER_OBJECT, ARCHIVE_ROWS_PER_OBJECT, 5_000])
    const day = new Date(old).toISOString().slice(0, 10)
    expect(objects.every((o) => o.key.startsWith(`audit/${day.replaceAll("-", "/")}/`) && o.key.endsWith(".ndjson.gz"))).toBe(true)
    const restored = await Effect.runPromise(readArchivedDay(env.AUDIT_ARCHIVE!, day))
    expect(restored.map((r) => r.id)).toEqual(oldEvents.map((e) => e.id).sort())
    expect((await count("user_id = 'young'")).n).toBe(100)
  })

  it("loses nothing when the delete after a confirmed put fails: the rows stay, the rerun rewrites the same object", async () => {
    const oldEvents = signInEvents(12_000, "crash", old)
    await insertRows(oldEvents)
    const failed = await Effect.runPromise(Effect.result(archiveAuditLog(env.DB, env.AUDIT_ARCHIVE!, {
      now,
      deleteRows: () => Effect.fail(new Unavailable({ service: "identity", reason: "injected delete failure" }))
    })))
    expect(failed._tag).toBe("Failure")
    expect((await count()).n).toBe(12_000)
    const afterCrash = (await env.AUDIT_ARCHIVE!.list()).objects.map((o) => o.key)
    expect(afterCrash).toHaveLength(1)
    const written = await Effect.runPromise(archiveAuditLog(env.DB, env.AUDIT_ARCHIVE!, { now }))
    expect(written.map((w) => w.rows)).toEqual([10_000, 2_000])
    expect(written[0]!.key).toBe(afterCrash[0])
    expect((await count()).n).toBe(0)
    const day = new Date(old).toISOString().slice(0, 10)
    const restored = await Effect.runPromise(readArchivedDay(env.AUDIT_ARCHIVE!, day))
    expect(restored).toHaveLength(12_000)
    expect(new Set(restored.map((r) => r.id)).size).toBe(12_000)
  })
})
