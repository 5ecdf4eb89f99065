/**
 * Issue 12 §4: the OIDC standard claims (OIDC Core §5.1) — stored on the
 * users row, checked on write (a table of ugly values, each refused with the
 * field named and nothing written), and audited with who edited.
 */
import type { UserProfilePatch } from "@authrim/contracts"
import { describe, expect, it } from "vitest"
import { getUserProfile, updateUserProfile } from "../src/users/profile_edits.ts"
import { upsertUser } from "../src/users/users.ts"
import { makeHarness, unique } from "./identity_harness.ts"

const newUser = async (h: ReturnType<typeof makeHarness>) =>
  h.run(upsertUser({ email: `${unique("prof")}@example.com`, password: null, name: "Original", emailVerified: true }))

describe("updateUserProfile — formats checked on write (OIDC Core §5.1)", () => {
  const ugly: ReadonlyArray<readonly [UserProfilePatch, string]> = [
    [{ birthdate: "1990-02-30" }, "birthdate"],
    [{ birthdate: "90-01-01" }, "birthdate"],
    [{ birthdate: "1990/01/01" }, "birthdate"],
    [{ birthdate: "0000" }, "birthdate"],
    [{ birthdate: "1990-13-01" }, "birthdate"],
    [{ zoneinfo: "Mars/Olympus_Mons" }, "zoneinfo"],
    [{ zoneinfo: "+09:00" }, "zoneinfo"],
    [{ zoneinfo: "../../etc/passwd" }, "zoneinfo"],
    [{ locale: "en_US" }, "locale"],
    [{ locale: "not a tag" }, "locale"],
    [{ locale: "x" }, "locale"],
    [{ website: "http://example.com" }, "website"],
    [{ website: "javascript:alert(1)" }, "website"],
    [{ profile: "//example.com/me" }, "profile"],
    [{ picture: "https://user:pw@example.com/a.png" }, "picture"],
    [{ picture: "https://example.com/a.png#frag" }, "picture"],
    [{ website: `https://example.com/${"a".repeat(2_100)}` }, "website"],
    [{ phone_number: "0312345678" }, "phone_number"],
    [{ phone_number: "+81 3 1234 5678" }, "phone_number"],
    [{ phone_number: "+0123456" }, "phone_number"],
    [{ phone_number: "+1234567890123456" }, "phone_number"],
    [{ nickname: "x".repeat(257) }, "nickname"],
    [{ given_name: "Ada\u0000" }, "given_name"],
    [{ address: { planet: "Mars" } }, "address.planet"],
    [{ address: { locality: 42 } }, "address.locality"],
    [{ address: { country: "y".repeat(300) } }, "address.country"]
  ]

  it.each(ugly)("%j is invalid_request naming %s, and nothing is written", async (patch, field) => {
    const h = makeHarness()
    const user = await newUser(h)
    const refused = await h.fail(updateUserProfile({ userId: user.id, patch: { nickname: "kept?", ...patch }, editor: { kind: "admin", id: "a" } }))
    expect(refused).toMatchObject({ _tag: "OAuthError", code: "invalid_request" })
    expect((refused as { description: string }).description.startsWith(`${field} `)).toBe(true)
    expect((await h.run(getUserProfile({ userId: user.id }))).nickname).toBeNull()
  })

  it("accepts the good forms: YYYY, a leap day, UTC, ja-JP, E.164, https; trims text, empty clears, null clears", async () => {
    const h = makeHarness()
    const user = await newUser(h)
    const first = await h.run(updateUserProfile({
      userId: user.id,
      patch: { birthdate: "1984", zoneinfo: "Asia/Tokyo", locale: "ja-JP", phone_number: "+81312345678", website: "https://example.jp/", nickname: "  Taro  ", gender: "" },
      editor: { kind: "user", id: user.id }
    }))
    expect(first).toMatchObject({ birthdate: "1984", zoneinfo: "Asia/Tokyo", locale: "ja-JP", phone_number: "+81312345678", website: "https://example.jp/", nickname: "Taro", gender: null, name: "Original" })
    const second = await h.run(updateUserProfile({ userId: user.id, patch: { birthdate: "2000-02-29", zoneinfo: "UTC", website: null }, editor: { kind: "user", id: user.id } }))
    expect(second).toMatchObject({ birthdate: "2000-02-29", zoneinfo: "UTC", website: null, locale: "ja-JP" })
  })

  it("an unknown user is NotFound", async () => {
    const h = makeHarness()
    expect(await h.fail(updateUserProfile({ userId: "nobody", patch: { nickname: "x" }, editor: { kind: "admin", id: "a" } }))).toMatchObject({ _tag: "NotFound" })
  })
})

describe("updateUserProfile — who may change what, and the audit trail", () => {
  it("a user may not set phone_number_verified, nor edit someone else; an admin may", async () => {
    const h = makeHarness()
    const user = await newUser(h)
    const other = await newUser(h)
    expect(await h.fail(updateUserProfile({ userId: user.id, patch: { phone_number_verified: true }, editor: { kind: "user", id: user.id } })))
      .toMatchObject({ code: "invalid_request" })
    expect(await h.fail(updateUserProfile({ userId: other.id, patch: { nickname: "x" }, editor: { kind: "user", id: user.id } })))
      .toMatchObject({ code: "access_denied" })
    const byAdmin = await h.run(updateUserProfile({ userId: user.id, patch: { phone_number: "+12025550100", phone_number_verified: true }, editor: { kind: "admin", id: "admin-1" } }))
    expect(byAdmin).toMatchObject({ phone_number: "+12025550100", phone_number_verified: true })
  })

  it("a user who changes their verified number loses the verified mark; keeping it keeps the mark", async () => {
    const h = makeHarness()
    const user = await newUser(h)
    await h.run(updateUserProfile({ userId: user.id, patch: { phone_number: "+12025550100", phone_number_verified: true }, editor: { kind: "admin", id: "a" } }))
    const same = await h.run(updateUserProfile({ userId: user.id, patch: { phone_number: "+12025550100" }, editor: { kind: "user", id: user.id } }))
    expect(same.phone_number_verified).toBe(true)
    const changed = await h.run(updateUserProfile({ userId: user.id, patch: { phone_number: "+12025550199" }, editor: { kind: "user", id: user.id } }))
    expect(changed).toMatchObject({ phone_number: "+12025550199", phone_number_verified: false })
  })

  it("audits profile.updated: the user's own edit (actor user, by self) vs an admin's (actor admin), field names only", async () => {
    const h = makeHarness()
    const user = await newUser(h)
    h.audit.clear()
    await h.run(updateUserProfile({ userId: user.id, patch: { nickname: "Self", locale: "fr-FR" }, editor: { kind: "user", id: user.id } }))
    await h.run(updateUserProfile({ userId: user.id, patch: { given_name: "Admin-set" }, editor: { kind: "admin", id: "admin-9" } }))
    expect(h.audit.events()).toMatchObject([
      { type: "profile.updated", actor: { kind: "user", id: user.id }, userId: user.id, details: { fields: "nickname,locale", by: "self" } },
      { type: "profile.updated", actor: { kind: "admin", id: "admin-9" }, userId: user.id, details: { fields: "given_name", by: "admin" } }
    ])
    expect(JSON.stringify(h.audit.events())).not.toContain("Admin-set")
  })
})
