import { env } from "cloudflare:workers"
import { Effect } from "effect"
import { transactionSealKey, unseal } from "../src/authorize/transaction_seal.ts"
import { describe, expect, it } from "vitest"
import { Browser, parseForm } from "./support/browser.ts"
import { seedClient, seedUser, type SeededClient, type SeededUser } from "./support/fixtures.ts"
import { authorizeUrl, callbackOf, obtainTokens, pkcePair, redeemCode, signIn, submitLoginForm } from "./support/flows.ts"

/** Signs `user` in on `browser` and returns the ID token the RP receives. */
const idTokenFor = async (browser: Browser, client: SeededClient, user: SeededUser) => {
  const { verifier, challenge } = await pkcePair()
  const callback = await signIn(browser, client, user, { code_challenge: challenge, code_challenge_method: "S256" })
  const response = await redeemCode(client, callback.searchParams.get("code")!, verifier)
  return (await response.json<{ id_token: string }>()).id_token
}

const outcomeOf = (callback: URL) => callback.searchParams.get("code") !== null ? "code" : callback.searchParams.get("error")

describe("id_token_hint — OIDC Core §3.1.2.1", () => {
  it("prompt=none with a hint naming the signed-in user returns a code", async () => {
    const client = await seedClient({ skipConsent: true })
    const browser = new Browser()
    const hint = await idTokenFor(browser, client, await seedUser())
    expect(outcomeOf(callbackOf(await browser.request(authorizeUrl(client.clientId, { prompt: "none", id_token_hint: hint }))))).toBe("code")
  })

  it("prompt=none with a hint naming another user than the session's answers login_required", async () => {
    const client = await seedClient({ skipConsent: true })
    const browser = new Browser()
    await signIn(browser, client, await seedUser())
    const { tokens } = await obtainTokens(client)
    const callback = callbackOf(await browser.request(authorizeUrl(client.clientId, { prompt: "none", id_token_hint: tokens.id_token! })))
    expect(outcomeOf(callback)).toBe("login_required")
    expect(callback.searchParams.get("state")).toBe("state-123")
  })

  it("without prompt=none, a hint naming another user shows the login page; signing in as that user completes", async () => {
    const client = await seedClient({ skipConsent: true })
    const browser = new Browser()
    await signIn(browser, client, await seedUser())
    const hinted = await seedUser()
    const hint = await idTokenFor(new Browser(), client, hinted)
    const page = await browser.follow(await browser.request(authorizeUrl(client.clientId, { id_token_hint: hint })))
    expect(await page.clone().text()).toContain("name=\"password\"")
    expect(outcomeOf(callbackOf(await submitLoginForm(browser, page, hinted)))).toBe("code")
  })

  it("signing in as someone else than the hint names ends in login_required at the RP", async () => {
    const client = await seedClient({ skipConsent: true })
    const browser = new Browser()
    const hint = await idTokenFor(new Browser(), client, await seedUser())
    const page = await browser.follow(await browser.request(authorizeUrl(client.clientId, { id_token_hint: hint })))
    expect(outcomeOf(callbackOf(await submitLoginForm(browser, page, await seedUser())))).toBe("login_required")
  })

  it("a hint that is not an ID token of this provider is invalid_request, sent to the RP", async () => {
    const client = await seedClient({ skipConsent: true })
    const browser = new Browser()
    const hint = await idTokenFor(browser, client, await seedUser())
    const [header, payload, signature] = hint.split(".")
    const tampered = `${header}.${payload}.${signature!.slice(0, -4)}AAAA`
    for (const bad of ["not-a-jwt", tampered]) {
      const callback = callbackOf(await browser.request(authorizeUrl(client.clientId, { prompt: "none", id_token_hint: bad })))
      expect(outcomeOf(callback)).toBe("invalid_request")
    }
  })
})

describe("acr_values and claims — OIDC Core §3.1.2.1, §5.5", () => {
  it("keeps acr_values in the pending request while the user signs in", async () => {
    const client = await seedClient()
    const response = await new Browser().request(authorizeUrl(client.clientId, { acr_values: "urn:example:gold  phr" }))
    const tx = parseForm(await response.text())!.fields.tx!
    // The transaction travels sealed (authorize/transaction_seal.ts): open it with the edge's key.
    const sealed = await Effect.runPromise(Effect.flatMap(transactionSealKey(env.TRANSACTION_SEAL_SECRET), (key) => unseal(key, tx)))
    expect(sealed).toMatchObject({ type: "login", request: { acrValues: ["urn:example:gold", "phr"] } })
  })

  it("acr_values this provider cannot assert do not stop a silent authorization (a voluntary request)", async () => {
    const client = await seedClient({ skipConsent: true })
    const browser = new Browser()
    await signIn(browser, client, await seedUser())
    expect(outcomeOf(callbackOf(await browser.request(authorizeUrl(client.clientId, { prompt: "none", acr_values: "urn:example:unknown" }))))).toBe("code")
  })

  it("an essential non-acr claim does not change a prompt=none answer; a malformed claims parameter is invalid_request (issue 14)", async () => {
    const client = await seedClient({ skipConsent: true })
    const claims = JSON.stringify({ id_token: { email: { essential: true } } })
    expect(outcomeOf(callbackOf(await new Browser().request(authorizeUrl(client.clientId, { prompt: "none", claims }))))).toBe("login_required")
    const browser = new Browser()
    await signIn(browser, client, await seedUser())
    expect(outcomeOf(callbackOf(await browser.request(authorizeUrl(client.clientId, { prompt: "none", claims }))))).toBe("code")
    expect(outcomeOf(callbackOf(await browser.request(authorizeUrl(client.clientId, { prompt: "none", claims: "{not json" }))))).toBe("invalid_request")
  })
})
