import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { getConsent } from "../src/users/consents.ts"
import { finishTransaction } from "../src/finished_transactions.ts"
import { upsertClient } from "../src/clients/clients.ts"
import { upsertUser } from "../src/users/users.ts"
import { makeHarness, unique } from "./identity_harness.ts"

const transactionId = () => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32)))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")

describe("finishTransaction — single use of a sealed sign-in transaction (DESIGN §4)", () => {
  it("RACE: 20 concurrent finishTransaction calls → exactly one succeeds, the rest NotFound", async () => {
    const h = makeHarness()
    const id = transactionId()
    const expiresAt = Date.now() + 60_000
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => h.run(Effect.result(finishTransaction({ id, expiresAt })))))
    const winners = outcomes.filter((o) => o._tag === "Success")
    const losers = outcomes.filter((o) => o._tag === "Failure")
    expect(winners).toHaveLength(1)
    expect(losers).toHaveLength(19)
    for (const loser of losers) expect(loser._tag === "Failure" && loser.failure._tag).toBe("NotFound")
  })

  it("an expired or malformed transaction is NotFound; a later replay of a finished one too", async () => {
    const h = makeHarness()
    expect((await h.fail(finishTransaction({ id: transactionId(), expiresAt: Date.now() - 1 })))._tag).toBe("NotFound")
    expect((await h.fail(finishTransaction({ id: "short", expiresAt: Date.now() + 60_000 })))._tag).toBe("NotFound")
    const id = transactionId()
    await h.run(finishTransaction({ id, expiresAt: Date.now() + 60_000 }))
    expect((await h.fail(finishTransaction({ id, expiresAt: Date.now() + 60_000 })))._tag).toBe("NotFound")
  })

  it("grantConsent is recorded by the winner only after the claim, and not at all by a replay", async () => {
    const h = makeHarness()
    const user = await h.run(upsertUser({ email: `${unique("ft")}@example.com`, password: null, name: null, emailVerified: true }))
    const client = await h.run(upsertClient({ clientId: unique("ft-client"), redirectUris: ["https://rp.test/cb"] }))
    const id = transactionId()
    const grant = { userId: user.id, clientId: client.clientId, scopes: ["openid", "email"] }
    await h.run(finishTransaction({ id, expiresAt: Date.now() + 60_000, grantConsent: grant }))
    expect((await h.run(getConsent(grant))).scopes).toEqual(["openid", "email"])
    const replay = await h.fail(finishTransaction({ id, expiresAt: Date.now() + 60_000, grantConsent: { ...grant, scopes: ["profile"] } }))
    expect(replay._tag).toBe("NotFound")
    expect((await h.run(getConsent(grant))).scopes).toEqual(["openid", "email"])
  })
})
