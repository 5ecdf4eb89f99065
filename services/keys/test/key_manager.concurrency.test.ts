import { env } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import { day, installManualClock, storedRows } from "./manual_clock.ts"

const freshKeyManager = () => env.KEY_MANAGER.get(env.KEY_MANAGER.newUniqueId())

describe("KeyManager — exactly one key per alg under concurrency", () => {
  it("20 concurrent first-use calls (JWKS reads and signing-key fetches) on a fresh object create one key per alg", async () => {
    const keyManager = freshKeyManager()

    const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      i % 3 === 0 ? keyManager.jwks().then(({ keys }) => keys.map((key) => String(key.kid)))
        : keyManager.signingKey(i % 3 === 1 ? "RS256" : "ES256").then(({ kid }) => [kid])))

    const rows = await storedRows(keyManager)
    expect(rows.map((row) => row.alg).sort()).toEqual(["ES256", "RS256"])
    const kids = rows.map((row) => row.kid)
    expect(results.flat().every((kid) => kids.includes(kid))).toBe(true)
  })

  it("20 concurrent rotation checks of an overdue key rotate each alg exactly once", async () => {
    const keyManager = freshKeyManager()
    const clock = await installManualClock(keyManager)
    await keyManager.jwks()
    clock.advance(90 * day)

    await Promise.all(Array.from({ length: 20 }, () => keyManager.rotate(false)))

    const rows = await storedRows(keyManager)
    expect(rows.filter((row) => row.active === 1).map((row) => row.alg).sort()).toEqual(["ES256", "RS256"])
    expect(rows.filter((row) => row.active === 0).map((row) => row.alg).sort()).toEqual(["ES256", "RS256"])
  })
})
