import { env } from "cloudflare:workers"
import { runDurableObjectAlarm } from "cloudflare:test"
import { describe, expect, it } from "vitest"
import { checkDpopProof } from "../src/dpop/check_dpop_proof.ts"
import { dpopJtiShardName } from "../src/dpop/dpop_shard.ts"
import { makeProof, newDpopKey, runDpop, tokenEndpoint } from "./dpop_fixtures.ts"
import { ManualClock } from "./token_fixtures.ts"

describe("DPoPJTIStore under concurrency — RFC 9449 §11.1", () => {
  it("20 concurrent checks of one proof: exactly one is accepted, 19 are replays", async () => {
    const clock = new ManualClock()
    const proof = await makeProof(await newDpopKey(), clock)
    const outcomes = await Promise.all(Array.from({ length: 20 }, () =>
      runDpop(checkDpopProof({ proof, htm: "POST", htu: tokenEndpoint, accessToken: null, nonceRequired: false }), clock)))
    expect(outcomes.filter((o) => o.valid)).toHaveLength(1)
    expect(outcomes.filter((o) => !o.valid && o.description === "DPoP proof jti was already used")).toHaveLength(19)
  })
})

describe("DPoPJTIStore retention", () => {
  it("keeps a jti while its proof could pass the iat window, and purges it after", async () => {
    const key = await newDpopKey()
    const stub = env.DPOP_JTIS.get(env.DPOP_JTIS.idFromName(dpopJtiShardName(key.jkt)))
    const now = Date.now()
    expect(await stub.accept({ jkt: key.jkt, jti: "kept", now, expiresAt: now + 60_000 })).toBe(true)
    expect(await stub.accept({ jkt: key.jkt, jti: "gone", now: now - 120_000, expiresAt: now - 1 })).toBe(true)
    expect(await stub.accept({ jkt: key.jkt, jti: "kept", now, expiresAt: now + 60_000 })).toBe(false)
    const before = await stub.size()
    await runDurableObjectAlarm(stub)
    expect(await stub.size()).toBe(before - 1)
    expect(await stub.accept({ jkt: key.jkt, jti: "kept", now, expiresAt: now + 60_000 })).toBe(false)
  })
})

describe("DPoPJTIStore shard function", () => {
  it("spreads key thumbprints over all 32 shards", () => {
    const counts = new Map<string, number>()
    for (let i = 0; i < 3200; i++) {
      const shard = dpopJtiShardName(`thumbprint-${i}`)
      counts.set(shard, (counts.get(shard) ?? 0) + 1)
    }
    expect(counts.size).toBe(32)
    expect(Math.max(...counts.values())).toBeLessThan(200)
  })
})
