/**
 * Shard warm-up (contracts/src/warm_up.ts): one ping per listed shard through
 * the entrypoint, nothing written — a pinged shard holds no counter row
 * afterwards — and shard numbers past the last shard are ignored.
 */
import { createExecutionContext, runInDurableObject } from "cloudflare:test"
import { env, exports } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import { RateLimitForEdge } from "../src/rate_limit_service.ts"
import { RATE_LIMIT_SHARDS, rateLimitShardName } from "../src/shard.ts"

const warmUp = async (input: { shards?: Array<number> }) => {
  const result = await exports.RateLimitForEdge.warmUp(input)
  if (result._tag !== "Success") throw new Error(`expected Success, got ${JSON.stringify(result)}`)
  return result.value
}

describe("RateLimitForEdge.warmUp", () => {
  it("pings each listed shard once, writes nothing, and ignores shard numbers past the last one", async () => {
    const shards = [997, 998, 999]
    expect(await warmUp({ shards: [...shards, RATE_LIMIT_SHARDS, RATE_LIMIT_SHARDS + 5] })).toEqual({ pinged: 3, failed: 0 })
    for (const shard of shards) {
      const stub = env.RATE_LIMITER_COUNTER.get(env.RATE_LIMITER_COUNTER.idFromName(rateLimitShardName(shard)))
      const rows = await runInDurableObject(stub, (_instance, state) =>
        state.storage.sql.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite%'").toArray()
          .map((t) => state.storage.sql.exec(`SELECT COUNT(*) AS n FROM "${String(t["name"])}"`).one()["n"] as number)
          .reduce((a, b) => a + b, 0))
      expect(rows).toBe(0)
    }
  })

  // Called in-process, as test/input.test.ts explains (a rejecting loopback RPC leaks an unhandled rejection).
  it("refuses a negative or fractional shard number at the schema", async () => {
    const service = new RateLimitForEdge(createExecutionContext(), env)
    for (const shards of [[-1], [1.5]]) await expect(service.warmUp({ shards })).rejects.toThrow()
  })
})
