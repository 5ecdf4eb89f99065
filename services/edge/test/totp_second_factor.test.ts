import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from "jose"
import { describe, expect, it } from "vitest"
import { acrSatisfied, needsSecondFactor, withSecondFactor } from "../src/authorize/authentication_context.ts"
import { Browser, ORIGIN, parseForm } from "./support/browser.ts"
import { seedClient, seedUser, type SeededClient } from "./support/fixtures.ts"
import { authorizeUrl, callbackOf, pkcePair, redeemCode } from "./support/flows.ts"
import { totpForStep } from "./support/totp_app.ts"
import { enrolTotp, passwordStep, secondFactorPageOf, signInToAccountTotp, submitCode } from "./support/totp_flows.ts"

const MFA_ACR = "urn:authrim:acr:mfa"

/** A user with TOTP enrolled through the account page (the confirming code used step +0). */
const totpUser = async () => {
  const user = await seedUser()
  const browser = new Browser()
  await signInToAccountTotp(browser, user)
  return { user, ...(await enrolTotp(browser)), accountBrowser: browser }
}

const idTokenOf = async (client: SeededClient, callback: URL, verifier: string) => {
  const response = await redeemCode(client, callback.searchParams.get("code")!, verifier)
  expect(response.status).toBe(200)
  const { id_token } = await response.json<{ id_token: string }>()
  const jwks = await (await new Browser().request("/jwks")).json<JSONWebKeySet>()
  return (await jwtVerify(id_token, createLocalJWKSet(jwks), { issuer: ORIGIN, audience: client.clientId })).payload
}

describe("The tests' authenticator app — RFC 6238 Appendix B (SHA-1)", () => {
  it.each([[59, "94287082"], [1111111109, "07081804"], [1234567890, "89005924"], [20000000000, "65353130"]] as const)(
    "T = %i s → %s",
    async (seconds, code) => {
      expect(await totpForStep(new TextEncoder().encode("12345678901234567890"), Math.floor(seconds / 30), 8)).toBe(code)
    }
  )
})

describe("TOTP enrolment on /account/totp", () => {
  it("needs a session (login returns to the page), shows a 160-bit key and otpauth URI, confirms with a code, shows 10 recovery codes once", async () => {
    const { secret, otpauthUri, accountBrowser, recoveryCodes } = await totpUser()
    expect(secret).toMatch(/^[A-Z2-7]{32}$/)
    const uri = new URL(otpauthUri)
    expect(uri.protocol).toBe("otpauth:")
    expect(uri.searchParams.get("secret")).toBe(secret)
    expect(uri.searchParams.get("issuer")).toBe("op.test")
    expect(new Set(recoveryCodes).size).toBe(10)
    const status = await (await accountBrowser.request("/account/totp")).text()
    expect(status).toContain("Recovery codes left: 10")
    expect(status).not.toContain(secret)
    expect(parseForm(status)?.fields.action).toBe("disable")
  })

  it("a wrong confirmation code does not turn TOTP on", async () => {
    const user = await seedUser()
    const browser = new Browser()
    await signInToAccountTotp(browser, user)
    const begin = parseForm(await (await browser.request("/account/totp")).text())!
    const confirm = parseForm(await (await browser.post("/account/totp", begin.fields)).text())!
    const wrong = await browser.post("/account/totp", { ...confirm.fields, code: "12345" })
    expect(wrong.status).toBe(401)
    expect(parseForm(await (await browser.request("/account/totp")).text())?.fields.action).toBe("begin")
  })

  it("refuses an account post whose csrf does not match the browser's cookie", async () => {
    const user = await seedUser()
    const browser = new Browser()
    await signInToAccountTotp(browser, user)
    const response = await browser.post("/account/totp", { action: "begin", csrf: "x".repeat(43) })
    expect(response.status).toBe(400)
  })
})

describe("Password + TOTP sign-in — RFC 6238, amr per RFC 8176", () => {
  it("asks for the code before any session exists, then issues a code whose ID token says pwd + otp and the MFA acr", async () => {
    const client = await seedClient({ skipConsent: true })
    const { user, app } = await totpUser()
    const browser = new Browser()
    const { verifier, challenge } = await pkcePair()
    const afterPassword = await passwordStep(browser, client.clientId, user, { code_challenge: challenge, code_challenge_method: "S256" })
    expect(browser.cookies.has("__Host-authrim_session")).toBe(false)
    const html = await secondFactorPageOf(browser, afterPassword)
    expect(Object.keys(parseForm(html)!.fields).sort()).toEqual(["code", "csrf", "mfa"])
    const callback = callbackOf(await submitCode(browser, html, await app.code(1)))
    expect(browser.cookies.has("__Host-authrim_session")).toBe(true)
    const idToken = await idTokenOf(client, callback, verifier)
    expect(idToken.amr).toEqual(expect.arrayContaining(["pwd", "otp", "mfa"]))
    expect(idToken.acr).toBe(MFA_ACR)
  })

  it("re-shows the form with 401 after a wrong code; the step survives and the right code then works", async () => {
    const client = await seedClient({ skipConsent: true })
    const { user, app } = await totpUser()
    const browser = new Browser()
    const html = await secondFactorPageOf(browser, await passwordStep(browser, client.clientId, user))
    const good = await app.code(1)
    const wrong = await submitCode(browser, html, good === "000000" ? "000001" : "000000")
    expect(wrong.status).toBe(401)
    expect(browser.cookies.has("__Host-authrim_session")).toBe(false)
    const again = await wrong.text()
    expect(again).toContain("That code is not valid")
    expect(callbackOf(await submitCode(browser, again, good)).searchParams.get("code")).toBeTruthy()
  })

  it("rejects a replayed code (same time step) in another sign-in", async () => {
    const client = await seedClient({ skipConsent: true })
    const { user, app } = await totpUser()
    const code = await app.code(1)
    const first = new Browser()
    callbackOf(await submitCode(first, await secondFactorPageOf(first, await passwordStep(first, client.clientId, user)), code))
    const second = new Browser()
    const replay = await submitCode(second, await secondFactorPageOf(second, await passwordStep(second, client.clientId, user)), code)
    expect(replay.status).toBe(401)
    expect(second.cookies.has("__Host-authrim_session")).toBe(false)
  })

  it("rejects the code that confirmed the enrolment, and an expired code (three steps old)", async () => {
    const client = await seedClient({ skipConsent: true })
    const { user, app } = await totpUser()
    const browser = new Browser()
    const html = await secondFactorPageOf(browser, await passwordStep(browser, client.clientId, user))
    expect((await submitCode(browser, html, await app.code(0))).status).toBe(401)
    expect((await submitCode(browser, html, await app.code(-3))).status).toBe(401)
  })

  it("a recovery code signs in once; the same recovery code again is rejected", async () => {
    const client = await seedClient({ skipConsent: true })
    const { user, recoveryCodes, accountBrowser } = await totpUser()
    const first = new Browser()
    const { verifier, challenge } = await pkcePair()
    const html = await secondFactorPageOf(first, await passwordStep(first, client.clientId, user, { code_challenge: challenge, code_challenge_method: "S256" }))
    const idToken = await idTokenOf(client, callbackOf(await submitCode(first, html, recoveryCodes[0]!.toUpperCase())), verifier)
    expect(idToken.amr).toEqual(expect.arrayContaining(["pwd", "otp"]))
    const second = new Browser()
    const again = await submitCode(second, await secondFactorPageOf(second, await passwordStep(second, client.clientId, user)), recoveryCodes[0]!)
    expect(again.status).toBe(401)
    expect(await (await accountBrowser.request("/account/totp")).text()).toContain("Recovery codes left: 9")
  })

  it("refuses a code post from a browser without the CSRF cookie", async () => {
    const client = await seedClient({ skipConsent: true })
    const { user, app } = await totpUser()
    const browser = new Browser()
    const html = await secondFactorPageOf(browser, await passwordStep(browser, client.clientId, user))
    const attacker = new Browser()
    const forged = await submitCode(attacker, html, await app.code(1))
    expect(forged.status).toBe(400)
    expect(attacker.cookies.has("__Host-authrim_session")).toBe(false)
  })

  it("RACE: 20 concurrent submissions of the same valid code — exactly one sign-in succeeds", async () => {
    const client = await seedClient({ skipConsent: true })
    const { user, app } = await totpUser()
    const browser = new Browser()
    const html = await secondFactorPageOf(browser, await passwordStep(browser, client.clientId, user))
    const code = await app.code(1)
    const responses = await Promise.all(Array.from({ length: 20 }, () => submitCode(browser, html, code)))
    const winners = responses.filter((r) => r.status === 303 && new URL(r.headers.get("location")!).searchParams.has("code"))
    expect(winners).toHaveLength(1)
    expect(responses.every((r) => [303, 400, 401, 429].includes(r.status))).toBe(true)
  })

  it("after TOTP is turned off (with a recovery code) the password alone signs in again", async () => {
    const client = await seedClient({ skipConsent: true })
    const { user, recoveryCodes, accountBrowser } = await totpUser()
    const disable = parseForm(await (await accountBrowser.request("/account/totp")).text())!
    expect((await accountBrowser.post("/account/totp", { ...disable.fields, code: "999999" })).status).toBe(401)
    expect((await accountBrowser.post("/account/totp", { ...disable.fields, code: recoveryCodes[5]! })).status).toBe(200)
    const browser = new Browser()
    expect(callbackOf(await passwordStep(browser, client.clientId, user)).searchParams.get("code")).toBeTruthy()
  })
})

describe("acr_values — OIDC Core §3.1.2.1", () => {
  it("an RP asking for the MFA acr forces a new sign-in over a password-only session, which then ends with TOTP", async () => {
    const client = await seedClient({ skipConsent: true })
    const { user, app, accountBrowser: browser } = await totpUser()
    // The account browser's session came from the password alone (TOTP was not on yet).
    const plain = await browser.request(authorizeUrl(client.clientId))
    expect(callbackOf(plain).searchParams.get("code")).toBeTruthy()
    const silent = await browser.request(authorizeUrl(client.clientId, { acr_values: MFA_ACR, prompt: "none" }))
    expect(callbackOf(silent).searchParams.get("error")).toBe("login_required")

    const { verifier, challenge } = await pkcePair()
    const afterPassword = await passwordStep(browser, client.clientId, user, { acr_values: MFA_ACR, code_challenge: challenge, code_challenge_method: "S256" })
    const callback = callbackOf(await submitCode(browser, await secondFactorPageOf(browser, afterPassword), await app.code(1)))
    const idToken = await idTokenOf(client, callback, verifier)
    expect(idToken.acr).toBe(MFA_ACR)
    expect(idToken.amr).toEqual(expect.arrayContaining(["pwd", "otp"]))

    // The MFA session now meets the request without another sign-in.
    const again = await browser.request(authorizeUrl(client.clientId, { acr_values: MFA_ACR, prompt: "none" }))
    expect(callbackOf(again).searchParams.get("code")).toBeTruthy()
  })

  it("acr values the provider cannot assert do not force a sign-in", async () => {
    const client = await seedClient({ skipConsent: true })
    const user = await seedUser()
    const browser = new Browser()
    callbackOf(await passwordStep(browser, client.clientId, user))
    const response = await browser.request(authorizeUrl(client.clientId, { acr_values: "urn:example:unknown", prompt: "none" }))
    expect(callbackOf(response).searchParams.get("code")).toBeTruthy()
  })

  it("discovery advertises the MFA acr", async () => {
    const metadata = await (await new Browser().request("/.well-known/openid-configuration")).json<{ acr_values_supported: string[] }>()
    expect(metadata.acr_values_supported).toContain(MFA_ACR)
  })
})

describe("Which sign-ins need the second factor — RFC 8176 amr", () => {
  it("a password, an email link or an upstream sign-in does; a passkey or an OTP already is strong", () => {
    expect(needsSecondFactor({ amr: ["pwd"], acr: null })).toBe(true)
    expect(needsSecondFactor({ amr: ["email"], acr: null })).toBe(true)
    expect(needsSecondFactor({ amr: ["fed"], acr: null })).toBe(true)
    expect(needsSecondFactor({ amr: ["hwk", "user"], acr: "phrh" })).toBe(false)
    expect(needsSecondFactor({ amr: ["swk", "user", "mfa"], acr: "phr" })).toBe(false)
    expect(withSecondFactor({ amr: ["pwd"], acr: null })).toEqual({ amr: ["pwd", "otp", "mfa"], acr: MFA_ACR })
  })

  it("a passkey session (phr/phrh) meets a request for the MFA acr; a password-only one does not", () => {
    expect(acrSatisfied([MFA_ACR], "phrh")).toBe(true)
    expect(acrSatisfied([MFA_ACR], "phr")).toBe(true)
    expect(acrSatisfied([MFA_ACR], null)).toBe(false)
    expect(acrSatisfied(["phrh"], MFA_ACR)).toBe(false)
    expect(acrSatisfied(["urn:example:unknown", MFA_ACR], MFA_ACR)).toBe(true)
    expect(acrSatisfied([], null)).toBe(true)
  })
})
