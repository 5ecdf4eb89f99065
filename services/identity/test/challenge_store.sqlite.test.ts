import { env, runInDurableObject } from "cloudflare:test"
import { describe, expect, it } from "vitest"
import { challengeShardForUser, challengeShardName, shardOfChallengeId } from "../src/challenges/challenge_shard.ts"
import { ChallengeTable } from "../src/challenges/challenge_table.ts"
import { CHALLENGE_MAX_TTL_SECONDS, consumeChallenge, createChallenge, peekChallenge } from "../src/challenges/challenges.ts"
import { makeHarness, unique } from "./identity_harness.ts"

const stubFor = (id: string) => env.CHALLENGES.get(env.CHALLENGES.idFromName(challengeShardName(shardOfChallengeId(id) ?? -1)))

describe("ChallengeStore — single use, typed, 15 minutes (DESIGN §2)", () => {
  it("create → peek (does not consume) → consume once → gone", async () => {
    const h = makeHarness()
    const metadata = { clientId: "rp", scope: "openid", nested: { state: "xyz" } }
    const created = await h.run(createChallenge({ type: "login", userId: null, metadata }))
    expect(created.expiresAt - created.createdAt).toBe(CHALLENGE_MAX_TTL_SECONDS * 1000)
    expect(await h.run(peekChallenge({ id: created.id, type: "login" }))).toEqual(created)
    expect(await h.run(peekChallenge({ id: created.id, type: "login" }))).toEqual(created)
    expect(await h.run(consumeChallenge({ id: created.id, type: "login" }))).toEqual({ ...created, metadata })
    expect(await h.fail(consumeChallenge({ id: created.id, type: "login" }))).toMatchObject({ _tag: "NotFound" })
    expect(await h.fail(peekChallenge({ id: created.id, type: "login" }))).toMatchObject({ _tag: "NotFound" })
  })

  it("a type mismatch is NotFound and does not consume the challenge", async () => {
    const h = makeHarness()
    const { id } = await h.run(createChallenge({ type: "consent", userId: "user-tm", metadata: {} }))
    expect(await h.fail(consumeChallenge({ id, type: "login" }))).toMatchObject({ _tag: "NotFound" })
    expect(await h.fail(peekChallenge({ id, type: "magic_link" }))).toMatchObject({ _tag: "NotFound" })
    expect(await h.run(consumeChallenge({ id, type: "consent" }))).toMatchObject({ id, userId: "user-tm" })
  })

  it("expires at expiresAt (controllable clock): live one ms before, gone at the instant", async () => {
    const h = makeHarness()
    const created = await h.run(createChallenge({ type: "reauth", userId: "user-exp", metadata: {}, ttlSeconds: 120 }))
    expect(created.expiresAt - created.createdAt).toBe(120_000)
    await runInDurableObject(stubFor(created.id), (_instance, state) => {
      const table = new ChallengeTable(state.storage.sql)
      expect(table.peek(created.id, "reauth", created.expiresAt - 1)).not.toBeNull()
      expect(table.peek(created.id, "reauth", created.expiresAt)).toBeNull()
      expect(table.consume(created.id, "reauth", created.expiresAt)).toBeNull()
      expect(table.consume(created.id, "reauth", created.expiresAt - 1)).toMatchObject({ id: created.id })
    })
  })

  it("ttlSeconds above 15 minutes is capped; zero or negative is invalid_request", async () => {
    const h = makeHarness()
    const capped = await h.run(createChallenge({ type: "magic_link", userId: null, metadata: {}, ttlSeconds: 86_400 }))
    expect(capped.expiresAt - capped.createdAt).toBe(CHALLENGE_MAX_TTL_SECONDS * 1000)
    expect(await h.fail(createChallenge({ type: "magic_link", userId: null, metadata: {}, ttlSeconds: 0 }))).toMatchObject({ code: "invalid_request" })
  })

  it.each(["", "garbage", "c99_" + "a".repeat(43), "c1_../../etc", "c3_" + "A".repeat(43)])("malformed or unknown id %j is NotFound, never a defect", async (id) => {
    const h = makeHarness()
    expect(await h.fail(consumeChallenge({ id, type: "login" }))).toMatchObject({ _tag: "NotFound" })
    expect(await h.fail(peekChallenge({ id, type: "login" }))).toMatchObject({ _tag: "NotFound" })
  })
})

describe("ChallengeStore routing — the id names its shard", () => {
  it("a user's challenge lives in the shard of the user's hash, found from the id alone", async () => {
    const h = makeHarness()
    const userId = unique("route-user")
    const { id } = await h.run(createChallenge({ type: "passkey_authentication", userId, metadata: {} }))
    expect(shardOfChallengeId(id)).toBe(challengeShardForUser(userId))
    const stored = await runInDurableObject(stubFor(id), (_instance, state) =>
      state.storage.sql.exec<{ user_id: string }>("SELECT user_id FROM challenges WHERE id = ?", id).toArray())
    expect(stored).toEqual([{ user_id: userId }])
    const otherShard = (challengeShardForUser(userId) + 1) % 64
    const elsewhere = await runInDurableObject(env.CHALLENGES.get(env.CHALLENGES.idFromName(challengeShardName(otherShard))), (_i, state) => {
      new ChallengeTable(state.storage.sql) // make sure the table exists on a fresh shard
      return state.storage.sql.exec("SELECT id FROM challenges WHERE id = ?", id).toArray()
    })
    expect(elsewhere).toEqual([])
  })
})
