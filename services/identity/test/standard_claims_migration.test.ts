/**
 * Migration 0015: the values the 0001 mappings released from user_custom_fields
 * move onto the new users columns (nothing a user had is lost), and the
 * profile / phone / address mappings now name the columns. The migration has
 * already run on this database, so its data-moving UPDATE is replayed on a
 * user created with the old representation.
 */
import { env } from "cloudflare:test"
import { describe, expect, it } from "vitest"
import { getUserClaims } from "../src/users/user_claims.ts"
import { upsertUser } from "../src/users/users.ts"
import { makeHarness, unique } from "./identity_harness.ts"

const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith("0015_"))!
const moveStatement = migration.queries.find((q) => q.includes("UPDATE users SET"))!

describe("migration 0015 — standard claims onto the users row", () => {
  it("moves given/family name, locale, phone (+verified) and address from custom fields; a plain-text address becomes {formatted}", async () => {
    const h = makeHarness()
    const user = await h.run(upsertUser({ email: `${unique("mig")}@example.com`, password: null, name: null, emailVerified: true }))
    for (const [field, value] of [["given_name", "Ada"], ["family_name", "Lovelace"], ["locale", "en-GB"], ["phone_number", "+442071838750"], ["phone_number_verified", "true"], ["address", "12 St James's Square, London"]]) {
      await env.DB.prepare("INSERT INTO user_custom_fields (user_id, field_name, field_value) VALUES (?, ?, ?)").bind(user.id, field, value).run()
    }
    await env.DB.prepare(moveStatement).run()
    const claims = await h.run(getUserClaims({ userId: user.id, scopes: ["openid", "profile", "phone", "address"] }))
    expect(claims).toMatchObject({
      given_name: "Ada", family_name: "Lovelace", locale: "en-GB", phone_number: "+442071838750", phone_number_verified: true,
      address: { formatted: "12 St James's Square, London" }
    })
  })

  it("every standard claim is mapped to a users column for its OIDC Core §5.4 scope", async () => {
    const { results } = await env.DB.prepare("SELECT scope, claim_name, source_table FROM scope_mappings WHERE source_table = 'users' ORDER BY scope, claim_name")
      .all<{ scope: string; claim_name: string }>()
    const byScope = (scope: string) => results.filter((r) => r.scope === scope).map((r) => r.claim_name).sort()
    expect(byScope("profile")).toEqual(["birthdate", "family_name", "gender", "given_name", "locale", "middle_name", "name", "nickname", "picture", "preferred_username", "profile", "updated_at", "website", "zoneinfo"])
    expect(byScope("email")).toEqual(["email", "email_verified"])
    expect(byScope("phone")).toEqual(["phone_number", "phone_number_verified"])
    expect(byScope("address")).toEqual(["address"])
  })
})
