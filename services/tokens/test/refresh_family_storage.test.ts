/**
 * Storage of a refresh family (issue 5): the access tokens issued from it
 * live in the family row, so a rotation writes one SQLite row, and revoking
 * the family still finds every live access token.
 */
import { env } from "cloudflare:workers"
import { runInDurableObject } from "cloudflare:test"
import { describe, expect, it } from "vitest"
import type { MeteredAnswer } from "@authrim/cost-meter"
import { MAX_REMEMBERED_ACCESS, migrateFamilyAccessTable } from "../src/family_access_list.ts"

const hour = 3_600_000
const shard = (name: string) => env.REFRESH_TOKENS.get(env.REFRESH_TOKENS.idFromName(name))

const createInput = (familyId: string, now: number) => ({
  familyId, tokenHash: "h0", clientId: "client-a", userId: "user-1", scope: "openid", authTime: now,
  sid: null, amr: ["pwd"], acr: null, now, access: { jti: "a0", expiresAt: now + hour }
})
const rotateInput = (familyId: string, n: number, now: number) => ({
  familyId, presentedHash: `h${n - 1}`, newHash: `h${n}`, clientId: "client-a", requestedScope: null, now,
  access: { jti: `a${n}`, expiresAt: now + hour }
})
const revokeInput = (familyId: string, now: number) =>
  ({ familyId, clientId: "client-a", presentedHash: null, reason: "test", now, tombstone: false })

describe("RefreshTokenRotator — family storage", () => {
  it("creating a family and each rotation write one row; revoking the family returns every access token it issued that is still live", async () => {
    const stub = shard(`rows-${crypto.randomUUID()}`)
    const now = Date.now()
    // Issue 10: no index entry beside the family row (DO storage bills index entries as rows).
    const created = (await stub.meteredCall("create", [createInput("f1", now)])) as unknown as MeteredAnswer
    expect(created.meter?.doRowsWritten).toBe(1)
    // Stub RPC types cannot express `unknown` values: read the answer as the object returns it.
    const rotated = (await stub.meteredCall("rotate", [rotateInput("f1", 1, now + 1000)])) as unknown as MeteredAnswer
    expect((rotated.value as { _tag: string })._tag).toBe("rotated")
    expect(rotated.meter?.doRowsWritten).toBe(1)
    await stub.rotate(rotateInput("f1", 2, now + 2000))
    const revoked = await stub.revoke(revokeInput("f1", now + 3000))
    expect(revoked.map((a) => a.jti).sort()).toEqual(["a0", "a1", "a2"])
  })

  it("expired access tokens leave the list on the next write, and the list is bounded", async () => {
    const stub = shard(`bound-${crypto.randomUUID()}`)
    const now = Date.now()
    await stub.create(createInput("f2", now))
    // Two hours later a0 has expired: the rotation drops it.
    for (let n = 1; n <= MAX_REMEMBERED_ACCESS + 5; n++) await stub.rotate(rotateInput("f2", n, now + 2 * hour + n))
    const revoked = await stub.revoke(revokeInput("f2", now + 2 * hour + 100))
    expect(revoked).toHaveLength(MAX_REMEMBERED_ACCESS)
    expect(revoked.map((a) => a.jti)).not.toContain("a0")
    expect(revoked[0]?.jti).toBe(`a${MAX_REMEMBERED_ACCESS + 5}`)
  })

  it("objects from before keep their access-token records: the old table moves into the family rows", async () => {
    const stub = shard(`legacy-${crypto.randomUUID()}`)
    const now = Date.now()
    await stub.create({ ...createInput("f3", now), access: { jti: "new", expiresAt: now + hour } })
    await runInDurableObject(stub, (_instance, state) => {
      const sql = state.storage.sql
      sql.exec("CREATE TABLE family_access_tokens (jti TEXT PRIMARY KEY, family_id TEXT NOT NULL, expires_at INTEGER NOT NULL)")
      sql.exec("INSERT INTO family_access_tokens VALUES ('legacy-1', 'f3', ?), ('legacy-2', 'f3', ?)", now + hour, now + hour)
      migrateFamilyAccessTable(sql)
      expect(sql.exec("SELECT name FROM sqlite_master WHERE name = 'family_access_tokens'").toArray()).toEqual([])
    })
    const revoked = await stub.revoke(revokeInput("f3", now + 1000))
    expect(revoked.map((a) => a.jti).sort()).toEqual(["legacy-1", "legacy-2"])
  })
})
