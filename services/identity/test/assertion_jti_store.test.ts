import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test"
import { describe, expect, it } from "vitest"
import { assertionJtiShardName } from "../src/clients/assertion_jti_shard.ts"

const shard = (clientId: string) => env.ASSERTION_JTIS.get(env.ASSERTION_JTIS.idFromName(assertionJtiShardName(clientId)))

describe("AssertionJtiStore — single-use assertion jti (RFC 7523 §3)", () => {
  it("accepts a key once while it is live", async () => {
    const stub = shard("client-a")
    const key = crypto.randomUUID()
    expect(await stub.use(key, Date.now() + 60_000)).toBe(true)
    expect(await stub.use(key, Date.now() + 60_000)).toBe(false)
  })

  it("of 20 concurrent uses of one key exactly one wins", async () => {
    const stub = shard("client-b")
    const key = crypto.randomUUID()
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => stub.use(key, Date.now() + 60_000)))
    expect(outcomes.filter(Boolean)).toHaveLength(1)
  })

  it("the alarm purges rows past their expiry and keeps live ones", async () => {
    const stub = shard("client-c")
    const live = crypto.randomUUID()
    const expired = crypto.randomUUID()
    expect(await stub.use(live, Date.now() + 300_000)).toBe(true)
    expect(await stub.use(expired, Date.now() - 1)).toBe(true)
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    const keys = await runInDurableObject(stub, (_instance, state) =>
      state.storage.sql.exec<{ key: string }>("SELECT key FROM used_assertions WHERE key IN (?, ?)", live, expired).toArray().map((r) => r.key))
    expect(keys).toEqual([live])
  })

  it("clients are spread over shards by a stable hash of the client id", () => {
    expect(assertionJtiShardName("client-a")).toBe(assertionJtiShardName("client-a"))
    const names = new Set(Array.from({ length: 200 }, (_, i) => assertionJtiShardName(`client-${i}`)))
    expect(names.size).toBeGreaterThan(16)
    for (const name of names) expect(name).toMatch(/^assertion-jti-([0-9]|[12][0-9]|3[01])$/)
  })
})
