import { env } from "cloudflare:test"
import { describe, expect, it } from "vitest"
import { upsertClient } from "../src/clients/clients.ts"
import { getConsent, grantConsent } from "../src/users/consents.ts"
import { getUserClaims } from "../src/users/user_claims.ts"
import { upsertUser } from "../src/users/users.ts"
import { makeHarness, unique } from "./identity_harness.ts"

const setField = (userId: string, field: string, value: string) =>
  env.DB.prepare("INSERT OR REPLACE INTO user_custom_fields (user_id, field_name, field_value) VALUES (?, ?, ?)").bind(userId, field, value).run()

describe("Standard claims per scope — OIDC Core §5.4", () => {
  it("openid alone yields only sub", async () => {
    const h = makeHarness()
    const user = await h.run(upsertUser({ email: `${unique("c")}@example.com`, password: null, name: "Ada", emailVerified: true }))
    expect(await h.run(getUserClaims({ userId: user.id, scopes: ["openid"] }))).toEqual({ sub: user.id })
  })

  it("email yields email and a boolean email_verified", async () => {
    const h = makeHarness()
    const email = `${unique("e")}@example.com`
    const user = await h.run(upsertUser({ email, password: null, name: null, emailVerified: false }))
    expect(await h.run(getUserClaims({ userId: user.id, scopes: ["openid", "email"] }))).toEqual({ sub: user.id, email, email_verified: false })
  })

  it("profile yields name, updated_at in seconds, custom given/family names; absent values are omitted", async () => {
    const h = makeHarness()
    const user = await h.run(upsertUser({ email: `${unique("p")}@example.com`, password: null, name: "Ada Lovelace", emailVerified: true }))
    await setField(user.id, "given_name", "Ada")
    await setField(user.id, "family_name", "Lovelace")
    const claims = await h.run(getUserClaims({ userId: user.id, scopes: ["openid", "profile"] }))
    expect(claims).toEqual({ sub: user.id, name: "Ada Lovelace", given_name: "Ada", family_name: "Lovelace", updated_at: Math.floor(user.updatedAt / 1000) })
    expect(claims).not.toHaveProperty("picture")
    expect(claims).not.toHaveProperty("email")
  })

  it("phone and address come from custom fields with their OIDC types", async () => {
    const h = makeHarness()
    const user = await h.run(upsertUser({ email: `${unique("ph")}@example.com`, password: null, name: null, emailVerified: true }))
    await setField(user.id, "phone_number", "+1 555 0100")
    await setField(user.id, "phone_number_verified", "true")
    await setField(user.id, "address", JSON.stringify({ country: "UK", locality: "London" }))
    const claims = await h.run(getUserClaims({ userId: user.id, scopes: ["phone", "address"] }))
    expect(claims).toEqual({ sub: user.id, phone_number: "+1 555 0100", phone_number_verified: true, address: { country: "UK", locality: "London" } })
  })

  it("unknown scopes are ignored, sub is always present, password material never appears", async () => {
    const h = makeHarness()
    const user = await h.run(upsertUser({ email: `${unique("u")}@example.com`, password: "pw-claims-1234", name: "N", emailVerified: true }))
    const claims = await h.run(getUserClaims({ userId: user.id, scopes: ["made_up", "offline_access"] }))
    expect(claims).toEqual({ sub: user.id })
    const all = await h.run(getUserClaims({ userId: user.id, scopes: ["openid", "profile", "email", "phone", "address"] }))
    expect(JSON.stringify(all)).not.toContain("pbkdf2")
  })

  it("an unknown user is NotFound", async () => {
    const h = makeHarness()
    expect(await h.fail(getUserClaims({ userId: "nobody", scopes: ["openid"] }))).toMatchObject({ _tag: "NotFound" })
  })
})

describe("Consent history — oauth_client_consents", () => {
  const setup = async (h: ReturnType<typeof makeHarness>) => {
    const user = await h.run(upsertUser({ email: `${unique("cons")}@example.com`, password: null, name: null, emailVerified: true }))
    const client = await h.run(upsertClient({ clientId: unique("rp"), redirectUris: ["https://rp.example/cb"] }))
    return { userId: user.id, clientId: client.clientId }
  }

  it("is empty before any grant", async () => {
    const h = makeHarness()
    expect(await h.run(getConsent(await setup(h)))).toEqual({ scopes: [] })
  })

  it("merges scopes over grants, without duplicates", async () => {
    const h = makeHarness()
    const pair = await setup(h)
    await h.run(grantConsent({ ...pair, scopes: ["openid", "profile"] }))
    await h.run(grantConsent({ ...pair, scopes: ["openid", "email"] }))
    expect(await h.run(getConsent(pair))).toEqual({ scopes: ["openid", "profile", "email"] })
  })

  it("RACE: 20 concurrent grants of different scopes all land", async () => {
    const h = makeHarness()
    const pair = await setup(h)
    const scopes = Array.from({ length: 20 }, (_, i) => `scope_${i}`)
    await Promise.all(scopes.map((s) => h.run(grantConsent({ ...pair, scopes: [s] }))))
    expect([...(await h.run(getConsent(pair))).scopes].sort()).toEqual([...scopes].sort())
  })

  it("is per client", async () => {
    const h = makeHarness()
    const pair = await setup(h)
    const other = await h.run(upsertClient({ clientId: unique("rp2"), redirectUris: ["https://rp2.example/cb"] }))
    await h.run(grantConsent({ ...pair, scopes: ["openid"] }))
    expect(await h.run(getConsent({ userId: pair.userId, clientId: other.clientId }))).toEqual({ scopes: [] })
  })
})
