import { env } from "cloudflare:workers"
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test"
import { describe, expect, it } from "vitest"
import worker from "../src/index.ts"
import { keyManagerName } from "../src/env.ts"
import { day, installManualClock, storedRows } from "./manual_clock.ts"

describe("keys worker — HTTP and cron handlers", () => {
  it("is not public: any HTTP request gets 404", async () => {
    const response = worker.fetch()
    expect(response.status).toBe(404)
  })

  it("the daily cron rotates a key that has turned 90 days old", async () => {
    const keyManager = env.KEY_MANAGER.get(env.KEY_MANAGER.idFromName(keyManagerName))
    const clock = await installManualClock(keyManager)
    await keyManager.jwks()
    const before = await storedRows(keyManager)
    clock.advance(90 * day)

    const ctx = createExecutionContext()
    worker.scheduled(createScheduledController({ cron: "0 3 * * *", scheduledTime: clock.now }), env, ctx)
    await waitOnExecutionContext(ctx)

    // Read the rows as stored: a read through the KeyManager would rotate lazily and hide a cron that did nothing.
    const after = await storedRows(keyManager)
    expect(after.filter((row) => row.active === 1).some((row) => before.some((old) => old.kid === row.kid))).toBe(false)
    expect(after.filter((row) => row.active === 0).map((row) => row.kid).sort()).toEqual(before.map((row) => row.kid).sort())
  })
})
