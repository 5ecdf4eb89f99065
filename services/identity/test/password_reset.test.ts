import { InvalidCredentials, NotFound, OAuthError } from "@authrim/contracts"
import { env } from "cloudflare:test"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { sha256Hex } from "@authrim/platform"
import { changePassword } from "../src/passwords/password_change.ts"
import { PASSWORD_RESET_TTL_SECONDS, requestPasswordReset, resetPassword } from "../src/passwords/password_reset.ts"
import { authenticatePassword, upsertUser } from "../src/users/users.ts"
import { makeEmailHarness } from "./email_harness.ts"
import { unique } from "./identity_harness.ts"

const RESET_URL = "https://op.test/password/reset"

const setup = async () => {
  const h = makeEmailHarness()
  const email = `${unique("reset")}@example.com`
  const user = await h.run(upsertUser({ email, password: "old-password-1", name: null, emailVerified: true }))
  const signsIn = (password: string) =>
    h.run(Effect.result(authenticatePassword({ email, password }))).then((r) => r._tag === "Success")
  const requestToken = async () => {
    await h.run(requestPasswordReset({ email, resetUrl: RESET_URL }))
    return h.latestToken(email)
  }
  return { h, email, user, signsIn, requestToken }
}

describe("Password reset — password_reset_tokens", () => {
  it("end to end: the mailed token sets the new password once; the old password stops working", async () => {
    const { h, email, user, signsIn, requestToken } = await setup()
    const token = await requestToken()
    expect((await h.latestMail(email))?.subject).toBe("Reset your password")
    expect(await h.run(resetPassword({ token, newPassword: "new-password-2" }))).toEqual({ userId: user.id })
    expect(await signsIn("new-password-2")).toBe(true)
    expect(await signsIn("old-password-1")).toBe(false)
    expect(await h.fail(resetPassword({ token, newPassword: "third-password-3" }))).toBeInstanceOf(NotFound)
    expect(await signsIn("new-password-2")).toBe(true)
  })

  it("stores only the SHA-256 of the token", async () => {
    const { user, requestToken } = await setup()
    const token = await requestToken()
    const rows = await env.DB.prepare("SELECT token_hash FROM password_reset_tokens WHERE user_id = ?").bind(user.id).all<{ token_hash: string }>()
    expect(rows.results.map((r) => r.token_hash)).toEqual([await Effect.runPromise(sha256Hex(token))])
  })

  it("expires after 1 hour (controlled clock)", async () => {
    const { h, signsIn, requestToken } = await setup()
    const token = await requestToken()
    h.clock.advance(PASSWORD_RESET_TTL_SECONDS * 1000)
    expect(await h.fail(resetPassword({ token, newPassword: "new-password-2" }))).toBeInstanceOf(NotFound)
    expect(await signsIn("old-password-1")).toBe(true)
  })

  it("a new request invalidates the older token", async () => {
    const { h, signsIn, requestToken } = await setup()
    const first = await requestToken()
    const second = await requestToken()
    expect(second).not.toBe(first)
    expect(await h.fail(resetPassword({ token: first, newPassword: "new-password-2" }))).toBeInstanceOf(NotFound)
    await h.run(resetPassword({ token: second, newPassword: "new-password-2" }))
    expect(await signsIn("new-password-2")).toBe(true)
  })

  it("a too-short new password is refused without using the token up", async () => {
    const { h, requestToken } = await setup()
    const token = await requestToken()
    const refused = await h.fail(resetPassword({ token, newPassword: "short" }))
    expect(refused).toBeInstanceOf(OAuthError)
    expect((refused as OAuthError).description).toContain("at least 8")
    await h.run(resetPassword({ token, newPassword: "long-enough-now" }))
  })

  it("unknown emails get the same answer and nothing is sent", async () => {
    const h = makeEmailHarness()
    const email = `${unique("nobody")}@example.com`
    expect(await h.run(requestPasswordReset({ email, resetUrl: RESET_URL }))).toEqual({})
    expect(await h.latestMail(email)).toBeUndefined()
  })

  it("unknown and malformed tokens are NotFound", async () => {
    const h = makeEmailHarness()
    for (const token of ["", "x", "A".repeat(43), "A".repeat(44)]) {
      expect(await h.fail(resetPassword({ token, newPassword: "new-password-2" }))).toBeInstanceOf(NotFound)
    }
  })

  it("race: 20 concurrent uses of one token → exactly one wins and its password is the one set", async () => {
    const { h, signsIn, requestToken } = await setup()
    const token = await requestToken()
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) => h.run(Effect.result(resetPassword({ token, newPassword: `racer-password-${i}` }))))
    )
    const winners = outcomes.flatMap((o, i) => (o._tag === "Success" ? [i] : []))
    expect(winners).toHaveLength(1)
    expect(await signsIn(`racer-password-${winners[0]}`)).toBe(true)
    expect(await signsIn(`racer-password-${(winners[0]! + 1) % 20}`)).toBe(false)
  })
})

describe("Password change (signed-in user)", () => {
  it("requires the current password", async () => {
    const { h, user, signsIn } = await setup()
    expect(await h.fail(changePassword({ userId: user.id, currentPassword: "wrong", newPassword: "new-password-2" })))
      .toBeInstanceOf(InvalidCredentials)
    expect(await signsIn("old-password-1")).toBe(true)
    await h.run(changePassword({ userId: user.id, currentPassword: "old-password-1", newPassword: "new-password-2" }))
    expect(await signsIn("new-password-2")).toBe(true)
    expect(await signsIn("old-password-1")).toBe(false)
  })

  it("applies the password policy and drops outstanding reset tokens", async () => {
    const { h, user, requestToken } = await setup()
    const token = await requestToken()
    expect(await h.fail(changePassword({ userId: user.id, currentPassword: "old-password-1", newPassword: "short" })))
      .toBeInstanceOf(OAuthError)
    await h.run(changePassword({ userId: user.id, currentPassword: "old-password-1", newPassword: "new-password-2" }))
    expect(await h.fail(resetPassword({ token, newPassword: "other-password-3" }))).toBeInstanceOf(NotFound)
  })

  it("a user without a password cannot 'change' one", async () => {
    const h = makeEmailHarness()
    const user = await h.run(upsertUser({ email: `${unique("nopw")}@example.com`, password: null, name: null, emailVerified: true }))
    expect(await h.fail(changePassword({ userId: user.id, currentPassword: "", newPassword: "new-password-2" })))
      .toBeInstanceOf(InvalidCredentials)
  })
})
