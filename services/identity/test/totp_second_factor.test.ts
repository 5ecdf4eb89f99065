import { env } from "cloudflare:test"
import { describe, expect, it } from "vitest"
import { verifySecondFactor } from "../src/mfa/second_factor.ts"
import { beginTotpEnrolment, confirmTotpEnrolment, disableTotp, getMfaStatus } from "../src/mfa/totp_enrolment.ts"
import { authenticatePassword } from "../src/users/users.ts"
import { makeMfaHarness } from "./mfa_harness.ts"

const enrolled = async () => {
  const h = makeMfaHarness()
  const user = await h.newUser()
  const { secret, otpauthUri } = await h.run(beginTotpEnrolment({ userId: user.id, issuer: "Authrim" }))
  const { recoveryCodes } = await h.run(confirmTotpEnrolment({ userId: user.id, code: await h.codeAt(secret) }))
  h.clock.now += 30_000
  return { h, user, secret, otpauthUri, recoveryCodes }
}

describe("Password sign-in says whether a second factor follows (one D1 query, issue 5)", () => {
  it("totpEnabled is false without TOTP and while an enrolment is pending, true once confirmed", async () => {
    const h = makeMfaHarness()
    const user = await h.newUser()
    const signIn = () => h.run(authenticatePassword({ email: user.email, password: "pw-mfa-1234" }))
    expect((await signIn()).totpEnabled).toBe(false)
    const { secret } = await h.run(beginTotpEnrolment({ userId: user.id, issuer: "Authrim" }))
    expect((await signIn()).totpEnabled).toBe(false)
    await h.run(confirmTotpEnrolment({ userId: user.id, code: await h.codeAt(secret) }))
    expect((await signIn()).totpEnabled).toBe(true)
  })
})

describe("TOTP enrolment — confirmed only by a first valid code", () => {
  it("a started enrolment is pending, a wrong code leaves it pending, the right one turns TOTP on", async () => {
    const h = makeMfaHarness()
    const user = await h.newUser()
    const { secret, otpauthUri } = await h.run(beginTotpEnrolment({ userId: user.id, issuer: "Authrim" }))
    expect(secret).toMatch(/^[A-Z2-7]{32}$/)
    expect(otpauthUri).toContain(`secret=${secret}`)
    expect(await h.run(getMfaStatus({ userId: user.id }))).toEqual({ totpEnabled: false, totpPending: true, recoveryCodesLeft: 0 })
    // A pending enrolment is not a second factor yet.
    expect(await h.fail(verifySecondFactor({ userId: user.id, code: await h.codeAt(secret) }))).toMatchObject({ _tag: "InvalidCredentials" })
    const wrong = (Number(await h.codeAt(secret)) + 1) % 1_000_000
    expect(await h.fail(confirmTotpEnrolment({ userId: user.id, code: String(wrong).padStart(6, "0") }))).toMatchObject({ _tag: "InvalidCredentials" })
    const { recoveryCodes } = await h.run(confirmTotpEnrolment({ userId: user.id, code: await h.codeAt(secret) }))
    expect(recoveryCodes).toHaveLength(10)
    expect(await h.run(getMfaStatus({ userId: user.id }))).toEqual({ totpEnabled: true, totpPending: false, recoveryCodesLeft: 10 })
  })

  it("a given base32 secret (the seed's totp_secret) is used as it is; a short or non-base32 one is invalid_request", async () => {
    const h = makeMfaHarness()
    const user = await h.newUser()
    const given = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    expect(await h.fail(beginTotpEnrolment({ userId: user.id, issuer: "Authrim", secret: "JBSWY3DPEHPK3PXP" }))).toMatchObject({ code: "invalid_request" })
    expect(await h.fail(beginTotpEnrolment({ userId: user.id, issuer: "Authrim", secret: "not base32!" }))).toMatchObject({ code: "invalid_request" })
    const { secret } = await h.run(beginTotpEnrolment({ userId: user.id, issuer: "Authrim", secret: given.toLowerCase() }))
    expect(secret).toBe(given)
    await h.run(confirmTotpEnrolment({ userId: user.id, code: await h.codeAt(given) }))
    expect(await h.run(getMfaStatus({ userId: user.id }))).toMatchObject({ totpEnabled: true })
  })

  it("the confirming code is spent: it cannot also pass as a sign-in code", async () => {
    const h = makeMfaHarness()
    const user = await h.newUser()
    const { secret } = await h.run(beginTotpEnrolment({ userId: user.id, issuer: "Authrim" }))
    const code = await h.codeAt(secret)
    await h.run(confirmTotpEnrolment({ userId: user.id, code }))
    expect(await h.fail(verifySecondFactor({ userId: user.id, code }))).toMatchObject({ _tag: "InvalidCredentials" })
  })

  it("cannot restart an enrolment while TOTP is on (no silent secret swap)", async () => {
    const { h, user } = await enrolled()
    expect(await h.fail(beginTotpEnrolment({ userId: user.id, issuer: "Authrim" }))).toMatchObject({ _tag: "OAuthError", code: "invalid_request" })
  })

  it("stores the secret encrypted and the recovery codes only as hashes", async () => {
    const { user, secret, recoveryCodes } = await enrolled()
    const row = await env.DB.prepare("SELECT secret_ciphertext FROM user_totp WHERE user_id = ?").bind(user.id).first<{ secret_ciphertext: string }>()
    expect(row!.secret_ciphertext).toMatch(/^v1\./)
    expect(row!.secret_ciphertext).not.toContain(secret)
    const hashes = await env.DB.prepare("SELECT code_hash FROM user_recovery_codes WHERE user_id = ?").bind(user.id).all<{ code_hash: string }>()
    expect(hashes.results).toHaveLength(10)
    for (const { code_hash } of hashes.results) {
      expect(code_hash).toMatch(/^[0-9a-f]{64}$/)
      expect(recoveryCodes.some((c) => code_hash.includes(c.replace(/-/g, "")))).toBe(false)
    }
  })
})

describe("TOTP verification — RFC 6238 §5.2", () => {
  it("accepts the current code once; the same code again (same step) is a replay", async () => {
    const { h, user, secret } = await enrolled()
    const code = await h.codeAt(secret)
    expect(await h.run(verifySecondFactor({ userId: user.id, code }))).toEqual({ kind: "totp", recoveryCodesLeft: 10 })
    expect(await h.fail(verifySecondFactor({ userId: user.id, code }))).toMatchObject({ _tag: "InvalidCredentials" })
  })

  it("rejects an older step once a newer one was used, and a code outside ±1 step", async () => {
    const { h, user, secret } = await enrolled()
    const previous = await h.codeAt(secret, -1)
    await h.run(verifySecondFactor({ userId: user.id, code: await h.codeAt(secret, 1) }))
    expect(await h.fail(verifySecondFactor({ userId: user.id, code: previous }))).toMatchObject({ _tag: "InvalidCredentials" })
    h.clock.now += 5 * 30_000
    expect(await h.fail(verifySecondFactor({ userId: user.id, code: await h.codeAt(secret, -2) }))).toMatchObject({ _tag: "InvalidCredentials" })
    expect(await h.fail(verifySecondFactor({ userId: user.id, code: await h.codeAt(secret, 2) }))).toMatchObject({ _tag: "InvalidCredentials" })
    expect(await h.run(verifySecondFactor({ userId: user.id, code: await h.codeAt(secret, 0) }))).toMatchObject({ kind: "totp" })
  })

  it("an expired code (three steps old) is rejected", async () => {
    const { h, user, secret } = await enrolled()
    const code = await h.codeAt(secret)
    h.clock.now += 90_000
    expect(await h.fail(verifySecondFactor({ userId: user.id, code }))).toMatchObject({ _tag: "InvalidCredentials" })
  })

  it("a user without TOTP has no second factor to pass", async () => {
    const h = makeMfaHarness()
    const user = await h.newUser()
    expect(await h.fail(verifySecondFactor({ userId: user.id, code: "123456" }))).toMatchObject({ _tag: "InvalidCredentials" })
  })

  it("RACE: 20 concurrent checks of the same valid code — exactly one succeeds", async () => {
    const { h, user, secret } = await enrolled()
    const code = await h.codeAt(secret)
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => h.run(verifySecondFactor({ userId: user.id, code }))))
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1)
  })
})

describe("Recovery codes — single use", () => {
  it("a recovery code works once (any case, with or without dashes) and the count goes down", async () => {
    const { h, user, recoveryCodes } = await enrolled()
    const code = recoveryCodes[3]!
    expect(await h.run(verifySecondFactor({ userId: user.id, code: code.toUpperCase().replace(/-/g, " ") }))).toEqual({ kind: "recovery_code", recoveryCodesLeft: 9 })
    expect(await h.fail(verifySecondFactor({ userId: user.id, code }))).toMatchObject({ _tag: "InvalidCredentials" })
    expect(await h.run(getMfaStatus({ userId: user.id }))).toMatchObject({ recoveryCodesLeft: 9 })
  })

  it("a recovery code of another user does not work", async () => {
    const a = await enrolled()
    const b = await enrolled()
    expect(await b.h.fail(verifySecondFactor({ userId: b.user.id, code: a.recoveryCodes[0]! }))).toMatchObject({ _tag: "InvalidCredentials" })
  })

  it("RACE: 20 concurrent uses of one recovery code — exactly one succeeds", async () => {
    const { h, user, recoveryCodes } = await enrolled()
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => h.run(verifySecondFactor({ userId: user.id, code: recoveryCodes[0]! }))))
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1)
    expect(await h.run(getMfaStatus({ userId: user.id }))).toMatchObject({ recoveryCodesLeft: 9 })
  })
})

describe("Disabling TOTP — needs a valid code", () => {
  it("a wrong code changes nothing; a valid code removes the secret and the recovery codes", async () => {
    const { h, user, secret, recoveryCodes } = await enrolled()
    expect(await h.fail(disableTotp({ userId: user.id, code: "000000" === (await h.codeAt(secret)) ? "111111" : "000000" }))).toMatchObject({ _tag: "InvalidCredentials" })
    expect(await h.run(getMfaStatus({ userId: user.id }))).toMatchObject({ totpEnabled: true })
    await h.run(disableTotp({ userId: user.id, code: await h.codeAt(secret) }))
    expect(await h.run(getMfaStatus({ userId: user.id }))).toEqual({ totpEnabled: false, totpPending: false, recoveryCodesLeft: 0 })
    expect(await h.fail(verifySecondFactor({ userId: user.id, code: recoveryCodes[0]! }))).toMatchObject({ _tag: "InvalidCredentials" })
    const left = await env.DB.prepare("SELECT COUNT(*) AS n FROM user_recovery_codes WHERE user_id = ?").bind(user.id).first<{ n: number }>()
    expect(left!.n).toBe(0)
  })

  it("a recovery code can disable TOTP too", async () => {
    const { h, user, recoveryCodes } = await enrolled()
    await h.run(disableTotp({ userId: user.id, code: recoveryCodes[9]! }))
    expect(await h.run(getMfaStatus({ userId: user.id }))).toMatchObject({ totpEnabled: false })
  })
})
