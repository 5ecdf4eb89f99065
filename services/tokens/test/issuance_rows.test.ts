/**
 * Issue 10: what a sign-in's token part writes. Minting a code writes nothing
 * (the grant is sealed in it); its redemption, the family's registration in
 * the user index and the family itself write ONE row each (DO storage bills
 * every index entry as a row, so these tables carry none beside their keys).
 */
import { env } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import type { MeteredAnswer } from "@authrim/cost-meter"

const hour = 3_600_000

/** Rows written by one call, through the object's cost-meter entry (stub RPC types cannot express `unknown`). */
const rowsWritten = async (stub: { meteredCall(method: string, args: Array<unknown>): Promise<unknown> }, method: string, arg: unknown) =>
  ((await stub.meteredCall(method, [arg])) as MeteredAnswer).meter?.doRowsWritten

describe("rows written per sign-in (token side)", () => {
  it("code redemption: 1 row; family registration: 1 row", async () => {
    const now = Date.now()
    const codes = env.AUTHORIZATION_CODES.get(env.AUTHORIZATION_CODES.idFromName(`rows-${crypto.randomUUID()}`))
    expect(await rowsWritten(codes, "consume", {
      codeHash: "h1", clientId: "client-a", rejection: null, now, accessJti: "j1", accessExpiresAt: now + hour, refreshFamilyId: "f1"
    })).toBe(1)
    const index = env.REFRESH_FAMILY_INDEX.get(env.REFRESH_FAMILY_INDEX.idFromName(`rows-${crypto.randomUUID()}`))
    expect(await rowsWritten(index, "register", {
      userId: "u1", familyId: "f1", clientId: "client-a", sid: "s1", offline: true, expiresAt: now + hour, grantedAt: now, authTime: now, now
    })).toBe(1)
  }, 20_000) // two Durable Objects start cold here; on a loaded 2-core runner that once took over vitest's 5 s default
})
