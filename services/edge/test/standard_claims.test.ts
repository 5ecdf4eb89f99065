/**
 * Issue 12 §4 / OIDC Core §5.4: every standard claim a user has, released at
 * /userinfo per granted scope (profile, email, phone, address) — set through
 * identity's updateUserProfile, read back by a real code flow through the edge.
 * In the code flow the ID token carries no profile claims (§5.4: they come
 * from the UserInfo endpoint when an access token is issued).
 */
import { env } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import { Browser } from "./support/browser.ts"
import { seedClient, seedUser, type SeededUser } from "./support/fixtures.ts"
import { jwtPayload, pkcePair, redeemCode, signIn } from "./support/flows.ts"

const profile = {
  given_name: "Hanako", family_name: "Yamada", middle_name: "Q", nickname: "Hana", preferred_username: "hanako",
  profile: "https://example.jp/hanako", picture: "https://example.jp/hanako.png", website: "https://hanako.example.jp",
  gender: "female", birthdate: "1990-04-01", zoneinfo: "Asia/Tokyo", locale: "ja-JP"
}
const phone = { phone_number: "+81312345678", phone_number_verified: true }
const address = { postal_code: "100-0001", region: "Tokyo", locality: "Chiyoda", street_address: "1-1", country: "JP" }

const userWithProfile = async (): Promise<SeededUser> => {
  const user = await seedUser()
  const result = await env.IDENTITY.updateUserProfile({ userId: user.id, patch: { ...profile, ...phone, address }, editor: { kind: "admin", id: "claims-test-admin" } })
  if (result._tag !== "Success") throw new Error(JSON.stringify(result.error))
  return user
}

const claimsFor = async (user: SeededUser, scope: string) => {
  const client = await seedClient({ skipConsent: true, scope: "openid profile email phone address offline_access" })
  const { verifier, challenge } = await pkcePair()
  const callback = await signIn(new Browser(), client, user, { scope, code_challenge: challenge, code_challenge_method: "S256" })
  const tokens = await (await redeemCode(client, callback.searchParams.get("code")!, verifier)).json<{ access_token: string; id_token: string }>()
  const userinfo = await new Browser().request("/userinfo", { headers: { authorization: `Bearer ${tokens.access_token}` } })
  expect(userinfo.status).toBe(200)
  return { userinfo: await userinfo.json<Record<string, unknown>>(), idToken: jwtPayload(tokens.id_token) }
}

describe("Standard claims per scope — OIDC Core §5.4 through the edge", () => {
  it("profile: the §5.1 profile claims; no email, phone or address", async () => {
    const user = await userWithProfile()
    const { userinfo, idToken } = await claimsFor(user, "openid profile")
    expect(userinfo).toMatchObject({ sub: user.id, name: "Test User", ...profile })
    expect(typeof userinfo.updated_at).toBe("number")
    for (const absent of ["email", "phone_number", "address"]) expect(userinfo).not.toHaveProperty(absent)
    expect(idToken).not.toHaveProperty("given_name")
  })

  it("phone and address: E.164 number with a boolean verified flag, and the structured address object", async () => {
    const user = await userWithProfile()
    const { userinfo } = await claimsFor(user, "openid phone address")
    expect(userinfo).toEqual({ sub: user.id, ...phone, address })
  })

  it("email only: email and email_verified, none of the profile", async () => {
    const user = await userWithProfile()
    const { userinfo } = await claimsFor(user, "openid email")
    expect(userinfo).toEqual({ sub: user.id, email: user.email, email_verified: true })
  })

  it("discovery advertises every claim released here and the four scopes", async () => {
    const metadata = await (await new Browser().request("/.well-known/openid-configuration")).json<{ claims_supported: string[]; scopes_supported: string[] }>()
    expect(metadata.scopes_supported).toEqual(expect.arrayContaining(["openid", "profile", "email", "phone", "address"]))
    expect(metadata.claims_supported).toEqual(expect.arrayContaining([...Object.keys(profile), ...Object.keys(phone), "address", "name", "updated_at", "email", "email_verified"]))
  })
})
