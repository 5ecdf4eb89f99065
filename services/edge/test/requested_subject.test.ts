/**
 * Issue 14: a `sub` claim requested with a `value` (OIDC Core §5.5.1) names
 * the user the RP expects — "the Authorization Server MUST only send a
 * positive response if the End-User identified by that sub value has an
 * active session … or has been Authenticated as a result of the request".
 * Through the edge and the real backends: the session's own sub → a code;
 * another sub → the login page (prompt=none: login_required); a sign-in as
 * someone else → login_required; a non-string value names nobody. For a
 * pairwise client (§8.1) the named `sub` is its pairwise one, and the
 * `id_token_hint` of a pairwise ID token names the user behind it.
 */
import { describe, expect, it } from "vitest"
import { Browser } from "./support/browser.ts"
import { seedClient, seedUser } from "./support/fixtures.ts"
import { authorizeUrl, callbackOf, jwtPayload, pkcePair, redeemCode, signIn, submitLoginForm } from "./support/flows.ts"

const subClaims = (value: unknown) => JSON.stringify({ id_token: { sub: { value } } })

/** A browser with a session of a new user, at a skip-consent client (public subjects unless `pairwise`). */
const signedIn = async (pairwise = false) => {
  const client = await seedClient({ skipConsent: true, ...(pairwise ? { subjectType: "pairwise" } : {}) })
  const user = await seedUser()
  const browser = new Browser()
  expect((await signIn(browser, client, user)).searchParams.get("code")).toBeTruthy()
  return { client, user, browser }
}

describe("requested sub value — OIDC Core §5.5.1", () => {
  it("the session's own sub: a code (prompt=none too), and the ID token carries that sub", async () => {
    const { client, user, browser } = await signedIn()
    const { verifier, challenge } = await pkcePair()
    const callback = callbackOf(await browser.request(authorizeUrl(client.clientId, {
      prompt: "none", claims: subClaims(user.id), code_challenge: challenge, code_challenge_method: "S256"
    })))
    const code = callback.searchParams.get("code")
    expect(code).toBeTruthy()
    const tokens = await (await redeemCode(client, code!, verifier)).json<{ id_token: string }>()
    expect(jwtPayload(tokens.id_token).sub).toBe(user.id)
  })

  it("another sub with prompt=none over a session: login_required, no code", async () => {
    const { client, browser } = await signedIn()
    const other = await seedUser()
    const callback = callbackOf(await browser.request(authorizeUrl(client.clientId, { prompt: "none", claims: subClaims(other.id) })))
    expect(callback.searchParams.get("error")).toBe("login_required")
    expect(callback.searchParams.get("code")).toBeNull()
  })

  it("another sub interactively: the login page; that user signing in gets a code, anyone else login_required", async () => {
    const { client, user, browser } = await signedIn()
    const other = await seedUser()
    const page = await browser.request(authorizeUrl(client.clientId, { claims: subClaims(other.id) }))
    expect(page.status).toBe(200)
    const html = await page.clone().text()
    expect(html).toContain("name=\"password\"")
    const named = callbackOf(await browser.follow(await submitLoginForm(browser, page, other)))
    expect(named.searchParams.get("code")).toBeTruthy()
    // The session is now the other user's; a request naming the first user, signed in as a third: refused.
    const third = await seedUser()
    const again = await browser.request(authorizeUrl(client.clientId, { claims: subClaims(user.id) }))
    const wrongUser = callbackOf(await browser.follow(await submitLoginForm(browser, again, third)))
    expect(wrongUser.searchParams.get("error")).toBe("login_required")
    expect(wrongUser.searchParams.get("code")).toBeNull()
  })

  it("a sub value that is not a string names nobody: prompt=none is login_required", async () => {
    const { client, browser } = await signedIn()
    for (const value of [42, true]) {
      const callback = callbackOf(await browser.request(authorizeUrl(client.clientId, { prompt: "none", claims: subClaims(value) })))
      expect(callback.searchParams.get("error")).toBe("login_required")
    }
  })

  it("sub requested without a value (null, essential) names nobody in particular: a code", async () => {
    const { client, browser } = await signedIn()
    for (const claims of [JSON.stringify({ id_token: { sub: null } }), JSON.stringify({ id_token: { sub: { essential: true } } })]) {
      expect(callbackOf(await browser.request(authorizeUrl(client.clientId, { prompt: "none", claims }))).searchParams.get("code")).toBeTruthy()
    }
  })

  it("a pairwise client: its own pairwise sub names the session's user (a code); the user id does not (login_required)", async () => {
    const { client, user, browser } = await signedIn(true)
    const { verifier, challenge } = await pkcePair()
    const first = callbackOf(await browser.request(authorizeUrl(client.clientId, { prompt: "none", code_challenge: challenge, code_challenge_method: "S256" })))
    const tokens = await (await redeemCode(client, first.searchParams.get("code")!, verifier)).json<{ id_token: string }>()
    const pairwiseSub = jwtPayload(tokens.id_token).sub as string
    expect(pairwiseSub).not.toBe(user.id)
    const named = callbackOf(await browser.request(authorizeUrl(client.clientId, { prompt: "none", claims: subClaims(pairwiseSub) })))
    expect(named.searchParams.get("code")).toBeTruthy()
    const byUserId = callbackOf(await browser.request(authorizeUrl(client.clientId, { prompt: "none", claims: subClaims(user.id) })))
    expect(byUserId.searchParams.get("error")).toBe("login_required")
    // A pairwise ID token as id_token_hint names its real user: the same session answers, another user's does not.
    expect(callbackOf(await browser.request(authorizeUrl(client.clientId, { prompt: "none", id_token_hint: tokens.id_token }))).searchParams.get("code")).toBeTruthy()
    const { browser: otherBrowser } = await signedIn(true)
    const foreign = callbackOf(await otherBrowser.request(authorizeUrl(client.clientId, { prompt: "none", id_token_hint: tokens.id_token })))
    expect(foreign.searchParams.get("error")).toBe("login_required")
  })
})
