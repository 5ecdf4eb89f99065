/**
 * What one count costs in SQLite rows (issue 5: DO storage bills every row
 * written, index entries included). Measured through the object's own
 * cost-meter entry (`meteredCall`), the way the service calls it.
 */
import type { MeteredAnswer } from "@authrim/cost-meter"
import { describe, expect, it } from "vitest"
import { check, shardOf } from "./ratelimit_harness.ts"

/** Stub RPC types cannot express `unknown` values: read the answer as the object returns it. */
const metered = async (key: string, limit: number, windowSeconds: number): Promise<MeteredAnswer> =>
  (await (await shardOf(key)).meteredCall("check", [{ key, limit, windowSeconds }])) as unknown as MeteredAnswer

const meteredCheck = (key: string) => metered(key, 100, 3600)

describe("RateLimiterCounter — rows written per count", () => {
  it("opening a window writes the row and its reset_at index entry; counting inside it writes only the row", async () => {
    const key = `cost:${crypto.randomUUID()}`
    const opening = await meteredCheck(key)
    expect(opening.meter?.doRowsWritten).toBe(2)
    const counted = await meteredCheck(key)
    expect(counted.meter?.doRowsWritten).toBe(1)
    expect(counted.value).toMatchObject({ allowed: true, current: 2 })
  })

  it("the metered path answers exactly what the plain path answers", async () => {
    const key = `same:${crypto.randomUUID()}`
    await check({ key, limit: 2, windowSeconds: 60 })
    const answer = await metered(key, 2, 60)
    expect(answer.value).toMatchObject({ allowed: true, current: 2, limit: 2 })
    expect(await check({ key, limit: 2, windowSeconds: 60 })).toMatchObject({ allowed: false, current: 3 })
  })
})
