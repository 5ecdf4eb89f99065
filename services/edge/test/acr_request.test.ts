/**
 * Issue 14: `acr_values` and an essential `acr` claim request (OIDC Core
 * §3.1.2.1, §5.5.1.1). The ID token carries the acr actually achieved — a
 * requested value when the session meets it — and an essential acr the
 * sign-in cannot reach ends in `unmet_authentication_requirements` at the
 * redirect_uri (with state and iss). TOTP users are taken through their
 * second factor, which reaches the MFA acr.
 */
import { describe, expect, it } from "vitest"
import { achievedAcr, essentialAcrUnmet } from "../src/authorize/authentication_context.ts"
import { Browser, ORIGIN } from "./support/browser.ts"
import { seedClient, seedUser, type SeededClient } from "./support/fixtures.ts"
import { callbackOf, jwtPayload, pkcePair, redeemCode } from "./support/flows.ts"
import { enrolTotp, passwordStep, secondFactorPageOf, signInToAccountTotp, submitCode } from "./support/totp_flows.ts"

const MFA_ACR = "urn:authrim:acr:mfa"

const essentialAcr = (values: ReadonlyArray<string>) => JSON.stringify({ id_token: { acr: { essential: true, values } } })

const idTokenOf = async (client: SeededClient, callback: URL, verifier: string) => {
  const response = await redeemCode(client, callback.searchParams.get("code")!, verifier)
  expect(response.status).toBe(200)
  return jwtPayload((await response.json<{ id_token: string }>()).id_token)
}

const totpUser = async () => {
  const user = await seedUser()
  const browser = new Browser()
  await signInToAccountTotp(browser, user)
  return { user, ...(await enrolTotp(browser)) }
}

describe("acr in the ID token — OIDC Core §2, §3.1.2.1", () => {
  it("a TOTP sign-in asked for [unknown, MFA] states the MFA acr; a password-only one states none", async () => {
    const client = await seedClient({ skipConsent: true })
    const { user, app } = await totpUser()
    const browser = new Browser()
    const { verifier, challenge } = await pkcePair()
    const afterPassword = await passwordStep(browser, client.clientId, user, {
      acr_values: `urn:example:unknown ${MFA_ACR}`, code_challenge: challenge, code_challenge_method: "S256"
    })
    const callback = callbackOf(await submitCode(browser, await secondFactorPageOf(browser, afterPassword), await app.code(1)))
    expect((await idTokenOf(client, callback, verifier)).acr).toBe(MFA_ACR)

    const plain = await seedUser()
    const second = await pkcePair()
    const plainBrowser = new Browser()
    const plainCallback = callbackOf(await passwordStep(plainBrowser, client.clientId, plain, {
      acr_values: MFA_ACR, code_challenge: second.challenge, code_challenge_method: "S256"
    }))
    const idToken = await idTokenOf(client, plainCallback, second.verifier)
    expect(idToken).not.toHaveProperty("acr")
    expect(idToken.amr).toEqual(["pwd"])
  })

  it("the achieved acr is the first requested value the session meets, else the session's own", () => {
    expect(achievedAcr([MFA_ACR], "phrh")).toBe(MFA_ACR)
    expect(achievedAcr(["phrh", "phr"], "phr")).toBe("phr")
    expect(achievedAcr(["urn:x", "phr", MFA_ACR], "phrh")).toBe("phr")
    expect(achievedAcr(["phrh"], MFA_ACR)).toBe(MFA_ACR)
    expect(achievedAcr([], "phr")).toBe("phr")
    expect(achievedAcr([MFA_ACR], null)).toBeNull()
    expect(essentialAcrUnmet({ values: [MFA_ACR], essential: true }, "phr")).toBe(false)
    expect(essentialAcrUnmet({ values: ["phrh"], essential: true }, MFA_ACR)).toBe(true)
    expect(essentialAcrUnmet({ values: ["urn:x"], essential: true }, "phrh")).toBe(true)
    expect(essentialAcrUnmet({ values: ["phrh"], essential: false }, null)).toBe(false)
    expect(essentialAcrUnmet({ values: [], essential: true }, null)).toBe(false)
    expect(essentialAcrUnmet(null, null)).toBe(false)
  })
})

describe("essential acr claim — OIDC Core §5.5.1.1", () => {
  it("a user without a second factor cannot reach it: unmet_authentication_requirements to the redirect_uri, no code", async () => {
    const client = await seedClient({ skipConsent: true })
    const user = await seedUser()
    const browser = new Browser()
    const callback = callbackOf(await passwordStep(browser, client.clientId, user, { claims: essentialAcr([MFA_ACR]) }))
    expect(callback.searchParams.get("error")).toBe("unmet_authentication_requirements")
    expect(callback.searchParams.get("state")).toBe("state-123")
    expect(callback.searchParams.get("iss")).toBe(ORIGIN)
    expect(callback.searchParams.get("code")).toBeNull()
    // The same session, the acr not asked for: a code as usual.
    expect(callbackOf(await browser.request(`/authorize?${new URLSearchParams({
      response_type: "code", client_id: client.clientId, redirect_uri: "https://rp.test/cb", scope: "openid", state: "s"
    })}`)).searchParams.get("code")).toBeTruthy()
  })

  it("a TOTP user is taken through the second factor and gets the essential acr", async () => {
    const client = await seedClient({ skipConsent: true })
    const { user, app } = await totpUser()
    const browser = new Browser()
    const { verifier, challenge } = await pkcePair()
    const afterPassword = await passwordStep(browser, client.clientId, user, {
      claims: essentialAcr(["phrh", MFA_ACR]), code_challenge: challenge, code_challenge_method: "S256"
    })
    const callback = callbackOf(await submitCode(browser, await secondFactorPageOf(browser, afterPassword), await app.code(1)))
    expect((await idTokenOf(client, callback, verifier)).acr).toBe(MFA_ACR)
    // prompt=none over the MFA session: met without a sign-in; a stronger essential acr cannot be: login_required.
    const again = await browser.request(`/authorize?${new URLSearchParams({
      response_type: "code", client_id: client.clientId, redirect_uri: "https://rp.test/cb", scope: "openid", prompt: "none",
      claims: essentialAcr([MFA_ACR])
    })}`)
    expect(callbackOf(again).searchParams.get("code")).toBeTruthy()
    const stronger = await browser.request(`/authorize?${new URLSearchParams({
      response_type: "code", client_id: client.clientId, redirect_uri: "https://rp.test/cb", scope: "openid", prompt: "none",
      claims: essentialAcr(["phrh"])
    })}`)
    expect(callbackOf(stronger).searchParams.get("error")).toBe("login_required")
  })

  it("an essential acr naming only values the provider never asserts is unmet; a voluntary one is not", async () => {
    const client = await seedClient({ skipConsent: true })
    const user = await seedUser()
    const browser = new Browser()
    const unmet = callbackOf(await passwordStep(browser, client.clientId, user, { claims: essentialAcr(["urn:example:loa:4"]) }))
    expect(unmet.searchParams.get("error")).toBe("unmet_authentication_requirements")
    const voluntary = await browser.request(`/authorize?${new URLSearchParams({
      response_type: "code", client_id: client.clientId, redirect_uri: "https://rp.test/cb", scope: "openid", state: "s",
      claims: JSON.stringify({ id_token: { acr: { values: ["urn:example:loa:4"] } } })
    })}`)
    expect(callbackOf(voluntary).searchParams.get("code")).toBeTruthy()
  })

  it("discovery lists only the acr values the provider asserts", async () => {
    const metadata = await (await new Browser().request("/.well-known/openid-configuration")).json<{ acr_values_supported: string[] }>()
    expect(metadata.acr_values_supported).toEqual([MFA_ACR, "phr", "phrh"])
  })
})
