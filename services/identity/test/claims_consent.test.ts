import { env } from "cloudflare:test"
import { describe, expect, it } from "vitest"
import { upsertClient } from "../src/clients/clients.ts"
import { getConsent, grantConsent } from "../src/users/consents.ts"
import { getUserClaims } from "../src/users/user_claims.ts"
import { updateUserProfile } from "../src/users/profile_edits.ts"
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

  it("profile yields name, updated_at in seconds, given/family names from the users row; absent values are omitted", async () => {
    const h = makeHarness()
    const user = await h.run(upsertUser({ email: `${unique("p")}@example.com`, password: null, name: "Ada Lovelace", emailVerified: true }))
    const edited = await h.run(updateUserProfile({ userId: user.id, patch: { given_name: "Ada", family_name: "Lovelace" }, editor: { kind: "user", id: user.id } }))
    expect(edited).toMatchObject({ given_name: "Ada", family_name: "Lovelace" })
    const updatedAt = (await env.DB.prepare("SELECT updated_at FROM users WHERE id = ?").bind(user.id).first<{ updated_at: number }>())!.updated_at
    const claims = await h.run(getUserClaims({ userId: user.id, scopes: ["openid", "profile"] }))
    expect(claims).toEqual({ sub: user.id, name: "Ada Lovelace", given_name: "Ada", family_name: "Lovelace", updated_at: Math.floor(updatedAt / 1000) })
    expect(claims).not.toHaveProperty("picture")
    expect(claims).not.toHaveProperty("email")
  })

  it("every standard claim, released per scope (profile / email / phone / address) with its OIDC type", async () => {
    const h = makeHarness()
    const email = `${unique("all")}@example.com`
    const user = await h.run(upsertUser({ email, password: null, name: "Grace Hopper", emailVerified: true }))
    const profile = {
      given_name: "Grace", family_name: "Hopper", middle_name: "Brewster", nickname: "Amazing Grace", preferred_username: "grace",
      profile: "https://example.com/grace", picture: "https://example.com/grace.png", website: "https://grace.example",
      gender: "female", birthdate: "1906-12-09", zoneinfo: "America/New_York", locale: "en-US"
    }
    await h.run(updateUserProfile({
      userId: user.id,
      patch: { ...profile, phone_number: "+12025550100", phone_number_verified: true, address: { street_address: "1 Navy Way", locality: "Arlington", country: "US" } },
      editor: { kind: "admin", id: "admin-1" }
    }))
    const claimsFor = (scopes: ReadonlyArray<string>) => h.run(getUserClaims({ userId: user.id, scopes }))
    const { updated_at: _, name, sub, ...profileClaims } = await claimsFor(["openid", "profile"])
    expect({ sub, name, ...profileClaims }).toEqual({ sub: user.id, name: "Grace Hopper", ...profile })
    expect(await claimsFor(["openid", "email"])).toEqual({ sub: user.id, email, email_verified: true })
    expect(await claimsFor(["openid", "phone"])).toEqual({ sub: user.id, phone_number: "+12025550100", phone_number_verified: true })
    expect(await claimsFor(["openid", "address"])).toEqual({ sub: user.id, address: { street_address: "1 Navy Way", locality: "Arlington", country: "US" } })
  })

  it("a custom field released through its own scope mapping still works (user_custom_fields)", async () => {
    const h = makeHarness()
    const scope = unique("employee")
    await env.DB.prepare("INSERT INTO scope_mappings (scope, claim_name, source_table, source_column) VALUES (?, 'employee_id', 'user_custom_fields', 'employee_id')").bind(scope).run()
    const user = await h.run(upsertUser({ email: `${unique("cf")}@example.com`, password: null, name: null, emailVerified: true }))
    await setField(user.id, "employee_id", "E-42")
    const fresh = makeHarness() // a fresh scope-mapping copy sees the new row
    expect(await fresh.run(getUserClaims({ userId: user.id, scopes: ["openid", scope] }))).toEqual({ sub: user.id, employee_id: "E-42" })
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
