import { env } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import { day, installManualClock, storedRows } from "./manual_clock.ts"

const freshKeyManager = () => env.KEY_MANAGER.get(env.KEY_MANAGER.newUniqueId())

const activeKids = async (keyManager: ReturnType<typeof freshKeyManager>) =>
  (await keyManager.listKeys()).filter((key) => key.active).map((key) => `${key.alg}:${key.kid}`).sort()

describe("KeyManager — rotation every 90 days (DESIGN §2)", () => {
  it("keeps a key until it is 90 days old, then replaces it with a new active key of the same alg", async () => {
    const keyManager = freshKeyManager()
    const clock = await installManualClock(keyManager)
    const created = clock.now
    const original = await activeKids(keyManager)

    clock.advance(90 * day - 1)
    await keyManager.rotate(false)
    expect(await activeKids(keyManager)).toEqual(original)

    clock.advance(1)
    const keys = await keyManager.rotate(false)

    const active = keys.filter((key) => key.active)
    expect(active.map((key) => key.alg).sort()).toEqual(["ES256", "RS256"])
    expect(active.every((key) => key.createdAt === created + 90 * day)).toBe(true)
    expect(await activeKids(keyManager)).not.toContain(original[0])
    const retired = keys.filter((key) => !key.active)
    expect(retired.map((key) => `${key.alg}:${key.kid}`).sort()).toEqual(original)
    expect(retired.every((key) => key.retiresAt === created + 120 * day)).toBe(true)
  })

  it("publishes the new key at once and keeps the retired key in the JWKS for 30 days, then deletes it", async () => {
    const keyManager = freshKeyManager()
    const clock = await installManualClock(keyManager)
    const oldKids = (await keyManager.jwks()).keys.map((key) => key.kid)

    clock.advance(90 * day)
    await keyManager.rotate(false)
    const rotated = (await keyManager.jwks()).keys.map((key) => key.kid)
    expect(rotated).toHaveLength(4)
    expect(rotated).toEqual(expect.arrayContaining(oldKids))

    clock.advance(30 * day - 1)
    expect((await keyManager.jwks()).keys.map((key) => key.kid).sort()).toEqual([...rotated].sort())

    clock.advance(1)
    const published = (await keyManager.jwks()).keys.map((key) => key.kid)
    expect(published).toHaveLength(2)
    expect(published.some((kid) => oldKids.includes(kid))).toBe(false)
    expect((await storedRows(keyManager)).map((row) => row.kid).sort()).toEqual([...published].sort())
  })

  it("rotates an overdue key on the next read even when the daily cron did not run", async () => {
    const keyManager = freshKeyManager()
    const clock = await installManualClock(keyManager)
    const oldKid = (await keyManager.signingKey("RS256")).kid

    clock.advance(91 * day)
    const next = await keyManager.signingKey("RS256")

    expect(next.kid).not.toEqual(oldKid)
    const rows = await storedRows(keyManager)
    expect(rows.find((row) => row.kid === oldKid)).toMatchObject({ active: 0, retired_at: clock.now })
  })

  it("forced rotation replaces every active key now, whatever its age; the retired keys keep verifying", async () => {
    const keyManager = freshKeyManager()
    const clock = await installManualClock(keyManager)
    const before = await activeKids(keyManager)

    clock.advance(day)
    const keys = await keyManager.rotate(true)

    const after = await activeKids(keyManager)
    expect(after).toHaveLength(2)
    expect(after.some((kid) => before.includes(kid))).toBe(false)
    expect(keys.filter((key) => !key.active).map((key) => key.retiresAt)).toEqual([clock.now + 30 * day, clock.now + 30 * day])
    expect((await keyManager.signingKey("ES256")).kid).toEqual(after.find((kid) => kid.startsWith("ES256:"))?.slice("ES256:".length))
  })
})
