import { env } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import { Browser, parseForm } from "./support/browser.ts"
import { seedClient, seedUser } from "./support/fixtures.ts"
import { callbackOf, jwtPayload, redeemCode } from "./support/flows.ts"
import { accountBrowser, addPasskeyOnAccountPage, embeddedOptions, openPasskeyPage, registerPasskey, submitAssertion } from "./support/passkey_flows.ts"
import { SoftwareAuthenticator } from "./support/software_authenticator.ts"

const passkeysOf = async (userId: string) => {
  const result = await env.IDENTITY.listPasskeys({ userId })
  if (result._tag !== "Success") throw new Error("listPasskeys failed")
  return result.value.passkeys
}

/** Signs in through the passkey page and redeems the code; returns the ID token's claims. */
const passkeySignInClaims = async (authenticator: SoftwareAuthenticator, email: string | null) => {
  const client = await seedClient({ skipConsent: true })
  const browser = new Browser()
  const { response } = await submitAssertion(browser, await openPasskeyPage(browser, client.clientId, email), authenticator)
  const code = callbackOf(response).searchParams.get("code")!
  const tokens = await (await redeemCode(client, code)).json<{ id_token: string }>()
  return jwtPayload(tokens.id_token)
}

describe("Passkey registration on the account page — WebAuthn L3 §7.1", () => {
  it("sends a signed-out browser to sign in and back, then registers two passkeys, renames and removes one", async () => {
    const user = await seedUser()
    const browser = await accountBrowser(user)
    const authenticator = new SoftwareAuthenticator()

    expect((await addPasskeyOnAccountPage(browser, authenticator, "Laptop")).status).toBe(303)
    const second = await addPasskeyOnAccountPage(browser, authenticator)
    expect(second.status).toBe(303)
    expect(second.headers.get("location")).toBe("/account/passkeys")

    const registered = await passkeysOf(user.id)
    expect(registered.map((p) => p.name)).toEqual(["Laptop", null])
    expect(registered.map((p) => p.credentialId).sort()).toEqual(authenticator.credentials.map((c) => c.id).sort())

    const page = await (await browser.request("/account/passkeys")).text()
    expect(page).toContain("Laptop")
    expect(page).toContain("Passkey 2")
    // A third registration may not re-register either existing credential.
    const excluded = (embeddedOptions(page).excludeCredentials as Array<{ id: string }>).map((c) => c.id).sort()
    expect(excluded).toEqual(registered.map((p) => p.credentialId).sort())

    const csrf = parseForm(page)!.fields.csrf!
    const [first, other] = registered
    const renamed = await browser.post("/account/passkeys", { csrf, action: "rename", credentialId: other!.credentialId, name: "  Phone " })
    expect(renamed.status).toBe(303)
    const removed = await browser.post("/account/passkeys", { csrf, action: "remove", credentialId: first!.credentialId })
    expect(removed.status).toBe(303)
    expect((await passkeysOf(user.id)).map((p) => p.name)).toEqual(["Phone"])
  })

  it("refuses a change without the browser's CSRF token, and another user's passkey", async () => {
    const owner = await seedUser()
    const ownerKey = await registerPasskey(owner.id, new SoftwareAuthenticator(), "Owner key")
    const browser = await accountBrowser(await seedUser())
    const page = await (await browser.request("/account/passkeys")).text()
    const csrf = parseForm(page)!.fields.csrf!

    const forged = await browser.post("/account/passkeys", { csrf: "x".repeat(43), action: "remove", credentialId: ownerKey.credentialId })
    expect(forged.status).toBe(400)
    const foreign = await browser.post("/account/passkeys", { csrf, action: "remove", credentialId: ownerKey.credentialId })
    expect(foreign.status).toBe(400)
    expect(await foreign.text()).toContain("not registered to your account")
    expect(await passkeysOf(owner.id)).toHaveLength(1)
  })

  it("refuses an attestation made for another origin or RP id, and keeps no credential", async () => {
    const user = await seedUser()
    const browser = await accountBrowser(user)
    const wrongOrigin = await addPasskeyOnAccountPage(browser, new SoftwareAuthenticator(), "", { origin: "https://evil.test" })
    expect(wrongOrigin.status).toBe(400)
    expect(await wrongOrigin.text()).toContain("could not be verified")
    const wrongRp = await addPasskeyOnAccountPage(browser, new SoftwareAuthenticator(), "", { rpId: "evil.test" })
    expect(wrongRp.status).toBe(400)
    expect(await passkeysOf(user.id)).toEqual([])
  })
})

describe("Passkey sign-in through the edge — WebAuthn L3 §7.2, RFC 8176 amr", () => {
  it("links the passkey page from the login page", async () => {
    const client = await seedClient()
    const browser = new Browser()
    const html = await openPasskeyPage(browser, client.clientId)
    expect(parseForm(html)).toMatchObject({ method: "POST", action: "/login/passkey" })
    expect(html).toMatch(/<script nonce="[0-9a-f]{32}">/)
  })

  it("signs in with a discoverable credential (no email) into an authorization code", async () => {
    const user = await seedUser()
    const authenticator = new SoftwareAuthenticator()
    await registerPasskey(user.id, authenticator)
    const claims = await passkeySignInClaims(authenticator, null)
    expect(claims.sub).toBe(user.id)
    expect(claims.amr).toEqual(["hwk", "user", "mfa"])
    expect(claims.acr).toBe("phrh")
    expect((await passkeysOf(user.id))[0]!.lastUsedAt).toEqual(expect.any(Number))
  })

  it("email-first: lists no credentials (the same answer as for an unknown email, issue 9 §4) and signs in with the second of the user's passkeys", async () => {
    const user = await seedUser()
    const authenticator = new SoftwareAuthenticator()
    await registerPasskey(user.id, authenticator)
    const second = await registerPasskey(user.id, authenticator)
    const browser = new Browser()
    const client = await seedClient({ skipConsent: true })
    const html = await openPasskeyPage(browser, client.clientId, user.email)
    expect(embeddedOptions(html).allowCredentials).toEqual([])
    const { response } = await submitAssertion(browser, html, authenticator, { credentialId: second.credentialId })
    expect(callbackOf(response).searchParams.get("code")).toBeTruthy()
  })

  it("an unknown email gets the discoverable ceremony (empty allowCredentials), not an error", async () => {
    const browser = new Browser()
    const html = await openPasskeyPage(browser, (await seedClient()).clientId, "nobody-here@example.test")
    expect(embeddedOptions(html).allowCredentials).toEqual([])
  })

  it("email-first refuses another user's passkey", async () => {
    const alice = await seedUser()
    const bob = await seedUser()
    await registerPasskey(alice.id, new SoftwareAuthenticator())
    const bobsAuthenticator = new SoftwareAuthenticator()
    await registerPasskey(bob.id, bobsAuthenticator)
    const browser = new Browser()
    const html = await openPasskeyPage(browser, (await seedClient()).clientId, alice.email)
    const { response } = await submitAssertion(browser, html, bobsAuthenticator, { credentialId: bobsAuthenticator.credentials[0]!.id })
    expect(response.status).toBe(401)
    expect(await response.text()).toContain("not registered for this account")
    expect(browser.cookies.has("__Host-authrim_session")).toBe(false)
  })

  it("rejects a replayed assertion: the challenge is single use", async () => {
    const user = await seedUser()
    const authenticator = new SoftwareAuthenticator()
    await registerPasskey(user.id, authenticator)
    const client = await seedClient({ skipConsent: true })
    const browser = new Browser()
    const first = await submitAssertion(browser, await openPasskeyPage(browser, client.clientId), authenticator)
    expect(callbackOf(first.response).searchParams.get("code")).toBeTruthy()

    // An attacker replays the captured assertion (and its challenge) into a fresh login transaction.
    const attacker = new Browser()
    const fresh = parseForm(await openPasskeyPage(attacker, client.clientId))!
    const replay = await attacker.post("/login/passkey", {
      ...fresh.fields,
      challengeId: first.form.fields.challengeId!,
      credential: JSON.stringify(first.credential)
    })
    expect(replay.status).toBe(400)
    expect(await replay.text()).toContain("expired or was already used")
    expect(attacker.cookies.has("__Host-authrim_session")).toBe(false)
  })

  it("rejects a rolled-back or repeated signature counter (cloned authenticator)", async () => {
    const user = await seedUser()
    const authenticator = new SoftwareAuthenticator()
    await registerPasskey(user.id, authenticator)
    const client = await seedClient({ skipConsent: true })
    const signInWithCounter = async (counter: number) => {
      const browser = new Browser()
      return (await submitAssertion(browser, await openPasskeyPage(browser, client.clientId), authenticator, { counter })).response
    }
    expect((await signInWithCounter(10)).status).toBe(303)
    const rolledBack = await signInWithCounter(5)
    expect(rolledBack.status).toBe(401)
    expect(await rolledBack.text()).toContain("counter went from 10 to 5")
    expect((await signInWithCounter(10)).status).toBe(401)
    expect((await signInWithCounter(11)).status).toBe(303)
  })

  it.each([
    ["a phishing origin", { origin: "https://evil.test" }],
    ["another RP id", { rpId: "evil.test" }]
  ])("rejects an assertion made for %s", async (_, overrides) => {
    const user = await seedUser()
    const authenticator = new SoftwareAuthenticator()
    await registerPasskey(user.id, authenticator)
    const browser = new Browser()
    const html = await openPasskeyPage(browser, (await seedClient()).clientId)
    const { response } = await submitAssertion(browser, html, authenticator, overrides)
    expect(response.status).toBe(401)
    const retryHtml = await response.text()
    expect(retryHtml).toContain("could not be verified")
    expect(browser.cookies.has("__Host-authrim_session")).toBe(false)
    // The page offers a fresh ceremony and the transaction is still usable with the right authenticator data.
    expect(embeddedOptions(retryHtml).challenge).not.toBe(embeddedOptions(html).challenge)
    const retry = await submitAssertion(browser, retryHtml, authenticator)
    // Signed in: the answer is the RP's consent page itself (issue 10: rendered, not redirected to).
    expect(retry.response.status).toBe(200)
    expect(parseForm(await retry.response.text())?.action).toBe("/consent")
    expect(browser.cookies.has("__Host-authrim_session")).toBe(true)
  })

  it("RACE: 20 concurrent verifications of one authentication challenge → exactly one success", async () => {
    const user = await seedUser()
    const authenticator = new SoftwareAuthenticator()
    await registerPasskey(user.id, authenticator)
    const started = await env.IDENTITY.startPasskeyAuthentication({ email: null })
    if (started._tag !== "Success") throw new Error("start failed")
    const response = await authenticator.get(started.value.options)
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () => env.IDENTITY.finishPasskeyAuthentication({ challengeId: started.value.challengeId, response }))
    )
    const winners = outcomes.filter((o) => o._tag === "Success")
    expect(winners).toHaveLength(1)
    expect(winners[0]!._tag === "Success" && winners[0]!.value.userId).toBe(user.id)
    const losers = outcomes.filter((o) => o._tag === "Failure")
    expect(losers).toHaveLength(19)
    for (const loser of losers) expect(loser._tag === "Failure" && loser.error).toMatchObject({ _tag: "PasskeyRejected", reason: "challenge" })
  })

  it("RACE: 20 clones signing different challenges with the same counter → exactly one sign-in (counter compare-and-set)", async () => {
    const user = await seedUser()
    const authenticator = new SoftwareAuthenticator()
    await registerPasskey(user.id, authenticator)
    const assertions = await Promise.all(Array.from({ length: 20 }, async () => {
      const started = await env.IDENTITY.startPasskeyAuthentication({ email: user.email })
      if (started._tag !== "Success") throw new Error("start failed")
      return { challengeId: started.value.challengeId, response: await authenticator.get(started.value.options, { counter: 7 }) }
    }))
    const outcomes = await Promise.all(assertions.map((a) => env.IDENTITY.finishPasskeyAuthentication(a)))
    expect(outcomes.filter((o) => o._tag === "Success")).toHaveLength(1)
    for (const loser of outcomes.filter((o) => o._tag === "Failure")) {
      expect(loser._tag === "Failure" && loser.error).toMatchObject({ _tag: "PasskeyRejected", reason: "counter_rollback" })
    }
  })
})
