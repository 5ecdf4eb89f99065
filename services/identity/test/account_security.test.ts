/**
 * Account security in the identity service (issue 9 §3): sign-in methods for
 * step-up, security notices (email + audit event), email change by a link to
 * the new address, recovery-code regeneration, and a password reset that also
 * removes passkeys and TOTP — all against the real local D1 and outbox.
 */
import { EmailAddressTaken, NotFound, OAuthError } from "@authrim/contracts"
import { env } from "cloudflare:test"
import { Effect } from "effect"
import { afterEach, describe, expect, it, vi } from "vitest"
import { confirmEmailChange, EMAIL_CHANGE_TTL_SECONDS, requestEmailChange } from "../src/email/email_change.ts"
import { sha256Hex } from "@authrim/platform"
import { requestPasswordReset, resetPassword } from "../src/passwords/password_reset.ts"
import { notifySecurityChange } from "../src/email/security_notification.ts"
import { verifySecondFactor } from "../src/mfa/second_factor.ts"
import { getSignInMethods } from "../src/users/sign_in_methods.ts"
import { beginTotpEnrolment, confirmTotpEnrolment, getMfaStatus, regenerateRecoveryCodes } from "../src/mfa/totp_enrolment.ts"
import { mfaKeyLayer } from "../src/mfa/mfa_key.ts"
import { base32Decode } from "../src/mfa/base32.ts"
import { hotp, totpStep } from "../src/mfa/totp_code.ts"
import { authenticatePassword, getUser, upsertUser } from "../src/users/users.ts"
import { makeEmailHarness } from "./email_harness.ts"
import { unique } from "./identity_harness.ts"

const VERIFY_URL = "https://op.test/account/email/verify"
const origin = { sessionId: "s01_test", ipAddress: "203.0.113.7" }

const setup = async () => {
  const h = makeEmailHarness()
  const email = `${unique("sec")}@example.com`
  const user = await h.run(upsertUser({ email, password: "old-password-1", name: null, emailVerified: true }))
  const mfa = <A, E, R>(program: Effect.Effect<A, E, R>) => Effect.provide(program, mfaKeyLayer(env))
  /** Turns TOTP on for the user (codes from the harness clock). */
  const enrolTotp = async () => {
    const { secret } = await h.run(mfa(beginTotpEnrolment({ userId: user.id, issuer: "Authrim" })))
    const code = await Effect.runPromise(hotp(base32Decode(secret)!, totpStep(h.clock.now)))
    const { recoveryCodes } = await h.run(mfa(confirmTotpEnrolment({ userId: user.id, code })))
    return recoveryCodes
  }
  const addPasskeyRow = (credentialId = unique("cred")) =>
    env.DB.prepare("INSERT INTO passkeys (credential_id, user_id, public_key, counter, transports, name, created_at) VALUES (?, ?, 'pk', 0, NULL, NULL, ?)")
      .bind(credentialId, user.id, Date.now()).run()
  const passkeyCount = async () =>
    (await env.DB.prepare("SELECT COUNT(*) AS n FROM passkeys WHERE user_id = ?").bind(user.id).first<{ n: number }>())!.n
  return { h, email, user, mfa, enrolTotp, addPasskeyRow, passkeyCount }
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe("getSignInMethods — what a step-up must use", () => {
  it("reports password, passkeys and confirmed TOTP; NotFound for an unknown user", async () => {
    const { h, user, enrolTotp, addPasskeyRow } = await setup()
    expect(await h.run(getSignInMethods({ userId: user.id }))).toEqual({ passkeys: 0, password: true, totp: false })
    await enrolTotp()
    await addPasskeyRow()
    await addPasskeyRow()
    expect(await h.run(getSignInMethods({ userId: user.id }))).toEqual({ passkeys: 2, password: true, totp: true })
    const passwordless = await h.run(upsertUser({ email: `${unique("nopw")}@example.com`, password: null, name: null, emailVerified: true }))
    expect(await h.run(getSignInMethods({ userId: passwordless.id }))).toEqual({ passkeys: 0, password: false, totp: false })
    expect(await h.fail(getSignInMethods({ userId: crypto.randomUUID() }))).toBeInstanceOf(NotFound)
  })
})

describe("notifySecurityChange — the notice email and the audit event", () => {
  it("mails the user's address (no link in it) and records one audit event (passkey.added)", async () => {
    const { h, email, user } = await setup()
    h.audit.clear()
    await h.run(notifySecurityChange({ userId: user.id, event: "passkey_added", origin }))
    const mail = await h.latestMail(email)
    expect(mail?.subject).toBe("A passkey was added to your account")
    expect(mail?.text).not.toMatch(/https?:\/\//)
    expect(h.audit.batches).toHaveLength(1)
    expect(h.audit.events()[0]).toMatchObject({
      type: "passkey.added",
      actor: { kind: "user", id: user.id },
      userId: user.id,
      ip: "203.0.113.7",
      outcome: "success",
      at: h.clock.now,
      details: { session: "s01_test" }
    })
  })

  it("NotFound for an unknown user (nothing sent)", async () => {
    const { h } = await setup()
    expect(await h.fail(notifySecurityChange({ userId: crypto.randomUUID(), event: "password_changed", origin }))).toBeInstanceOf(NotFound)
  })
})

describe("Email change — a link to the new address", () => {
  it("the link changes the address once (verified), the old address is told, reset links die", async () => {
    const { h, email, user } = await setup()
    const newEmail = `${unique("new")}@example.com`
    await h.run(requestPasswordReset({ email, resetUrl: "https://op.test/password/reset" }))
    await h.run(requestEmailChange({ userId: user.id, newEmail, verifyUrl: VERIFY_URL, origin }))
    expect((await h.latestMail(newEmail))?.subject).toBe("Confirm your new email address")
    expect((await h.latestMail(email))?.subject).toBe("A change of your email address was requested")
    // Nothing changes until the link is opened.
    expect((await h.run(getUser(user.id))).email).toBe(email)
    const token = await h.latestToken(newEmail)
    expect(await h.run(confirmEmailChange({ token, origin }))).toEqual({ userId: user.id, email: newEmail })
    expect(await h.run(getUser(user.id))).toMatchObject({ email: newEmail, emailVerified: true })
    const notice = await h.latestMail(email)
    expect(notice?.subject).toBe("Your email address was changed")
    expect(notice?.text).toContain(newEmail)
    expect(await h.fail(confirmEmailChange({ token, origin }))).toBeInstanceOf(NotFound)
    const unusedResets = await env.DB.prepare("SELECT COUNT(*) AS n FROM password_reset_tokens WHERE user_id = ? AND used_at IS NULL")
      .bind(user.id).first<{ n: number }>()
    expect(unusedResets?.n).toBe(0)
    expect((await h.run(Effect.result(authenticatePassword({ email: newEmail, password: "old-password-1" }))))._tag).toBe("Success")
  })

  it("stores only the SHA-256 of the token; a new request cancels the older link", async () => {
    const { h, user } = await setup()
    const newEmail = `${unique("new")}@example.com`
    await h.run(requestEmailChange({ userId: user.id, newEmail, verifyUrl: VERIFY_URL, origin }))
    const first = await h.latestToken(newEmail)
    await h.run(requestEmailChange({ userId: user.id, newEmail, verifyUrl: VERIFY_URL, origin }))
    const second = await h.latestToken(newEmail)
    const rows = await env.DB.prepare("SELECT token_hash, new_email FROM email_change_tokens WHERE user_id = ?").bind(user.id)
      .all<{ token_hash: string; new_email: string }>()
    expect(rows.results).toEqual([{ token_hash: await Effect.runPromise(sha256Hex(second)), new_email: newEmail }])
    expect(await h.fail(confirmEmailChange({ token: first, origin }))).toBeInstanceOf(NotFound)
    expect((await h.run(confirmEmailChange({ token: second, origin }))).email).toBe(newEmail)
  })

  it("expires after 30 minutes (controlled clock)", async () => {
    const { h, email, user } = await setup()
    const newEmail = `${unique("new")}@example.com`
    await h.run(requestEmailChange({ userId: user.id, newEmail, verifyUrl: VERIFY_URL, origin }))
    const token = await h.latestToken(newEmail)
    h.clock.advance(EMAIL_CHANGE_TTL_SECONDS * 1000)
    expect(await h.fail(confirmEmailChange({ token, origin }))).toBeInstanceOf(NotFound)
    expect((await h.run(getUser(user.id))).email).toBe(email)
  })

  it("a taken address: the request answers the same and mails the link, the link fails (EmailAddressTaken)", async () => {
    const { h, email, user } = await setup()
    const other = await h.run(upsertUser({ email: `${unique("taken")}@example.com`, password: "x-password-1", name: null, emailVerified: true }))
    expect(await h.run(requestEmailChange({ userId: user.id, newEmail: other.email.toUpperCase(), verifyUrl: VERIFY_URL, origin }))).toEqual({})
    const token = await h.latestToken(other.email)
    expect(await h.fail(confirmEmailChange({ token, origin }))).toBeInstanceOf(EmailAddressTaken)
    expect((await h.run(getUser(user.id))).email).toBe(email)
    expect((await h.run(getUser(other.id))).email).toBe(other.email)
  })

  it("refuses what is not an address, and the current address", async () => {
    const { h, email, user } = await setup()
    for (const newEmail of ["not-an-address", "", "a b@example.com"]) {
      expect(await h.fail(requestEmailChange({ userId: user.id, newEmail, verifyUrl: VERIFY_URL, origin }))).toBeInstanceOf(OAuthError)
    }
    expect(await h.fail(requestEmailChange({ userId: user.id, newEmail: email.toUpperCase(), verifyUrl: VERIFY_URL, origin }))).toBeInstanceOf(OAuthError)
    expect(await h.fail(confirmEmailChange({ token: "garbage", origin }))).toBeInstanceOf(NotFound)
  })

  it("RACE: 20 concurrent opens of one link → exactly one change", async () => {
    const { h, user } = await setup()
    const newEmail = `${unique("race")}@example.com`
    await h.run(requestEmailChange({ userId: user.id, newEmail, verifyUrl: VERIFY_URL, origin }))
    const token = await h.latestToken(newEmail)
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => h.run(Effect.result(confirmEmailChange({ token, origin })))))
    expect(outcomes.filter((o) => o._tag === "Success")).toHaveLength(1)
    expect((await h.run(getUser(user.id))).email).toBe(newEmail)
  })

  it("RACE: two users opening links for the same address at once → one owner, the other EmailAddressTaken", async () => {
    const a = await setup()
    const b = await setup()
    const wanted = `${unique("contested")}@example.com`
    await a.h.run(requestEmailChange({ userId: a.user.id, newEmail: wanted, verifyUrl: VERIFY_URL, origin }))
    const tokenA = await a.h.latestToken(wanted)
    await b.h.run(requestEmailChange({ userId: b.user.id, newEmail: wanted, verifyUrl: VERIFY_URL, origin }))
    const tokenB = await b.h.latestToken(wanted)
    const [ra, rb] = await Promise.all([
      a.h.run(Effect.result(confirmEmailChange({ token: tokenA, origin }))),
      b.h.run(Effect.result(confirmEmailChange({ token: tokenB, origin })))
    ])
    expect([ra._tag, rb._tag].sort()).toEqual(["Failure", "Success"])
    const owners = await env.DB.prepare("SELECT COUNT(*) AS n FROM users WHERE email = ? COLLATE NOCASE").bind(wanted).first<{ n: number }>()
    expect(owners?.n).toBe(1)
  })
})

describe("regenerateRecoveryCodes", () => {
  it("replaces the set: old codes stop working, new ones work; NotFound while TOTP is off", async () => {
    const { h, user, mfa, enrolTotp } = await setup()
    expect(await h.fail(regenerateRecoveryCodes({ userId: user.id }))).toBeInstanceOf(NotFound)
    const old = await enrolTotp()
    const { recoveryCodes } = await h.run(regenerateRecoveryCodes({ userId: user.id }))
    expect(recoveryCodes).toHaveLength(10)
    expect(recoveryCodes.some((code) => old.includes(code))).toBe(false)
    expect((await h.run(Effect.result(mfa(verifySecondFactor({ userId: user.id, code: old[0]! })))))._tag).toBe("Failure")
    expect((await h.run(mfa(verifySecondFactor({ userId: user.id, code: recoveryCodes[0]! })))).kind).toBe("recovery_code")
    expect((await h.run(getMfaStatus({ userId: user.id }))).recoveryCodesLeft).toBe(9)
  })
})

describe("resetPassword — removeSecondFactors", () => {
  it("checked: passkeys, TOTP and recovery codes go with the reset", async () => {
    const { h, email, user, enrolTotp, addPasskeyRow, passkeyCount } = await setup()
    await enrolTotp()
    await addPasskeyRow()
    await h.run(requestPasswordReset({ email, resetUrl: "https://op.test/password/reset" }))
    const token = await h.latestToken(email)
    await h.run(resetPassword({ token, newPassword: "new-password-2", removeSecondFactors: true }))
    expect(await passkeyCount()).toBe(0)
    expect(await h.run(getMfaStatus({ userId: user.id }))).toEqual({ totpEnabled: false, totpPending: false, recoveryCodesLeft: 0 })
    const codes = await env.DB.prepare("SELECT COUNT(*) AS n FROM user_recovery_codes WHERE user_id = ?").bind(user.id).first<{ n: number }>()
    expect(codes?.n).toBe(0)
  })

  it("unchecked (and absent): they stay", async () => {
    const { h, email, user, enrolTotp, addPasskeyRow, passkeyCount } = await setup()
    await enrolTotp()
    await addPasskeyRow()
    for (const removeSecondFactors of [false, undefined]) {
      await h.run(requestPasswordReset({ email, resetUrl: "https://op.test/password/reset" }))
      const token = await h.latestToken(email)
      await h.run(resetPassword({ token, newPassword: "new-password-2", ...(removeSecondFactors === undefined ? {} : { removeSecondFactors }) }))
      expect(await passkeyCount()).toBe(1)
      expect((await h.run(getMfaStatus({ userId: user.id }))).totpEnabled).toBe(true)
    }
  })

  it("a used or unknown token removes nothing (all or nothing with the reset)", async () => {
    const { h, email, user, enrolTotp, addPasskeyRow, passkeyCount } = await setup()
    await enrolTotp()
    await addPasskeyRow()
    await h.run(requestPasswordReset({ email, resetUrl: "https://op.test/password/reset" }))
    const token = await h.latestToken(email)
    await h.run(resetPassword({ token, newPassword: "new-password-2" }))
    expect(await h.fail(resetPassword({ token, newPassword: "new-password-3", removeSecondFactors: true }))).toBeInstanceOf(NotFound)
    expect(await h.fail(resetPassword({ token: "A".repeat(43), newPassword: "new-password-3", removeSecondFactors: true }))).toBeInstanceOf(NotFound)
    expect(await passkeyCount()).toBe(1)
    expect((await h.run(getMfaStatus({ userId: user.id }))).totpEnabled).toBe(true)
  })
})
