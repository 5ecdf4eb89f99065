import { describe, expect, it } from "vitest"
import { Browser } from "./support/browser.ts"
import { REDIRECT_URI, seedClient, seedUser } from "./support/fixtures.ts"
import { basicAuth, obtainTokens, pkcePair, postForm, signIn } from "./support/flows.ts"

/** An RFC 6749 §5.2 error: JSON, never cached. */
const expectOAuthError = async (response: Response, status: number, code: string) => {
  expect(response.status).toBe(status)
  expect(response.headers.get("content-type")).toContain("application/json")
  expect(response.headers.get("cache-control")).toBe("no-store")
  expect(response.headers.get("pragma")).toBe("no-cache")
  const body = await response.json<Record<string, string>>()
  expect(body.error).toBe(code)
  expect(typeof body.error_description).toBe("string")
}

/** A fresh code for `client` (PKCE S256) and its verifier. */
const freshCode = async (client: Awaited<ReturnType<typeof seedClient>>) => {
  const { verifier, challenge } = await pkcePair()
  const callback = await signIn(new Browser(), client, await seedUser(), { code_challenge: challenge, code_challenge_method: "S256" })
  return { code: callback.searchParams.get("code")!, verifier }
}

describe("Client authentication — RFC 6749 §2.3.1", () => {
  it("client_secret_basic form-urldecodes id and secret (a secret with + & % = and spaces)", async () => {
    const client = await seedClient({ skipConsent: true })
    expect(client.secret).toMatch(/[ +&%=]/)
    await obtainTokens(client)
  })

  it("client_secret_post authenticates with the secret in the body", async () => {
    const client = await seedClient({ tokenEndpointAuthMethod: "client_secret_post", skipConsent: true })
    const { code, verifier } = await freshCode(client)
    const response = await postForm("/token", {
      grant_type: "authorization_code", code, code_verifier: verifier, redirect_uri: REDIRECT_URI,
      client_id: client.clientId, client_secret: client.secret!
    })
    expect(response.status).toBe(200)
    expect(response.headers.get("cache-control")).toBe("no-store")
  })

  it("a wrong secret is invalid_client 401 with a Basic challenge", async () => {
    const client = await seedClient()
    const response = await postForm("/token", { grant_type: "refresh_token", refresh_token: "x" }, { ...client, secret: "wrong" })
    await expectOAuthError(response, 401, "invalid_client")
    expect(response.headers.get("www-authenticate")).toMatch(/^Basic realm=/)
  })

  it("an unknown client and a missing authentication are invalid_client; only Basic gets a Basic challenge", async () => {
    const unknown = await postForm("/token", { grant_type: "refresh_token", refresh_token: "x" }, { clientId: "nobody", secret: "s" })
    expect(unknown.headers.get("www-authenticate")).toMatch(/^Basic realm=/)
    await expectOAuthError(unknown, 401, "invalid_client")
    const anonymous = await postForm("/token", { grant_type: "refresh_token", refresh_token: "x" })
    expect(anonymous.headers.get("www-authenticate")).toBeNull()
    await expectOAuthError(anonymous, 401, "invalid_client")
  })

  it("the wrong method for the client is invalid_client", async () => {
    const client = await seedClient()
    const response = await postForm("/token", { grant_type: "refresh_token", refresh_token: "x", client_id: client.clientId, client_secret: client.secret! })
    await expectOAuthError(response, 401, "invalid_client")
  })

  it("more than one authentication method at once is invalid_request", async () => {
    const client = await seedClient()
    const response = await postForm("/token", { grant_type: "refresh_token", refresh_token: "x", client_secret: client.secret! }, client)
    await expectOAuthError(response, 400, "invalid_request")
  })

  it("malformed Basic credentials are invalid_client, not a 500", async () => {
    for (const header of ["Basic !!!", "Basic " + btoa("no-colon"), "Basic " + btoa("%zz:secret")]) {
      const response = await new Browser().request("/token", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", authorization: header },
        body: "grant_type=refresh_token&refresh_token=x"
      })
      await expectOAuthError(response, 401, "invalid_client")
    }
  })
})

describe("Token request — RFC 6749 §3.2, §4.1.3, §5.2", () => {
  it("accepts only POST with a form-encoded body", async () => {
    const client = await seedClient()
    const get = await new Browser().request("/token")
    expect(get.status).toBe(405)
    expect(get.headers.get("allow")).toBe("POST")
    const json = await new Browser().request("/token", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: basicAuth(client.clientId, client.secret!) },
      body: JSON.stringify({ grant_type: "authorization_code" })
    })
    await expectOAuthError(json, 400, "invalid_request")
  })

  it("refuses a parameter sent twice", async () => {
    const client = await seedClient()
    const response = await new Browser().request("/token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basicAuth(client.clientId, client.secret!) },
      body: "grant_type=authorization_code&code=a&code=b"
    })
    await expectOAuthError(response, 400, "invalid_request")
  })

  it("grant_type: missing → invalid_request, unknown → unsupported_grant_type, unregistered → unauthorized_client", async () => {
    const client = await seedClient({ grantTypes: ["authorization_code"] })
    await expectOAuthError(await postForm("/token", { code: "x" }, client), 400, "invalid_request")
    await expectOAuthError(await postForm("/token", { grant_type: "password", username: "a", password: "b" }, client), 400, "unsupported_grant_type")
    await expectOAuthError(await postForm("/token", { grant_type: "refresh_token", refresh_token: "x" }, client), 400, "unauthorized_client")
  })

  it("an unknown or replayed code is invalid_grant", async () => {
    const client = await seedClient({ skipConsent: true })
    await expectOAuthError(await postForm("/token", { grant_type: "authorization_code", code: "bogus", redirect_uri: REDIRECT_URI }, client), 400, "invalid_grant")
    const { code, verifier } = await freshCode(client)
    const body = { grant_type: "authorization_code", code, code_verifier: verifier, redirect_uri: REDIRECT_URI }
    expect((await postForm("/token", body, client)).status).toBe(200)
    await expectOAuthError(await postForm("/token", body, client), 400, "invalid_grant")
  })

  it("a malformed code_verifier is invalid_request", async () => {
    const client = await seedClient()
    await expectOAuthError(await postForm("/token", { grant_type: "authorization_code", code: "x", code_verifier: "short" }, client), 400, "invalid_request")
  })

  it("no refresh token for a client without the refresh_token grant", async () => {
    const client = await seedClient({ grantTypes: ["authorization_code"], skipConsent: true })
    const { tokens } = await obtainTokens(client)
    expect(tokens.refresh_token).toBeUndefined()
  })
})

describe("Refresh — RFC 6749 §6", () => {
  it("rotates the refresh token; once the new one was used, the old one is invalid_grant", async () => {
    const client = await seedClient({ skipConsent: true })
    // offline_access: a refresh token is issued only when it is granted (issue 9 §2).
    const { tokens } = await obtainTokens(client, { scope: "openid profile email offline_access" })
    const first = await postForm("/token", { grant_type: "refresh_token", refresh_token: tokens.refresh_token! }, client)
    expect(first.status).toBe(200)
    expect(first.headers.get("cache-control")).toBe("no-store")
    const rotated = await first.json<{ refresh_token: string; access_token: string }>()
    expect(rotated.refresh_token).not.toBe(tokens.refresh_token)
    // Issue 14: until the new token is used (or the grace window ends) the old one would replay the rotation (refresh_grace_window.test.ts).
    expect((await postForm("/token", { grant_type: "refresh_token", refresh_token: rotated.refresh_token }, client)).status).toBe(200)
    await expectOAuthError(await postForm("/token", { grant_type: "refresh_token", refresh_token: tokens.refresh_token! }, client), 400, "invalid_grant")
  })

  it("a refresh_token grant without the token is invalid_request", async () => {
    const client = await seedClient()
    await expectOAuthError(await postForm("/token", { grant_type: "refresh_token" }, client), 400, "invalid_request")
  })
})
