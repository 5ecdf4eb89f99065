import { describe, expect, it } from "vitest"
import { Browser } from "./support/browser.ts"
import { REDIRECT_URI, seedClient } from "./support/fixtures.ts"
import { authorizeUrl, basicAuth, callbackOf } from "./support/flows.ts"

/** A spec-shaped refusal: a 4xx (never a 5xx) with no stack trace in the body. */
const expectSpecError = async (response: Response) => {
  expect(response.status).toBeGreaterThanOrEqual(300)
  expect(response.status).toBeLessThan(500)
  const body = await response.text()
  expect(body).not.toMatch(/\bat .+\.(ts|js):\d+/)
  expect(body).not.toContain("Error:")
  return body
}

const form = (path: string, body: BodyInit, headers: Record<string, string> = {}) =>
  new Browser().request(path, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, body })

describe("Ugly inputs — DESIGN §4: a clear spec error, never a 500", () => {
  it("/authorize: overlong, duplicated, control characters, wrong body types", async () => {
    const client = await seedClient()
    const long = "a".repeat(10_000)
    for (const url of [
      authorizeUrl(long),
      authorizeUrl(client.clientId, { redirect_uri: long }),
      authorizeUrl(client.clientId, { state: long }),
      authorizeUrl(client.clientId, { nonce: long }),
      authorizeUrl(client.clientId, { scope: "openid\u0000profile" }),
      authorizeUrl(client.clientId, { code_challenge: "%%%", code_challenge_method: "S256" }),
      "/authorize",
      `/authorize?${"x=1&".repeat(200)}client_id=${client.clientId}&redirect_uri=${encodeURIComponent(REDIRECT_URI)}`
    ]) {
      await expectSpecError(await new Browser().request(url))
    }
    // A malformed unknown parameter is ignored (OIDC Core §3.1.2.1): a valid request, answered with the login page.
    const ignored = await new Browser().request(`${authorizeUrl(client.clientId)}&%ZZ=%E0%A4%A`)
    expect(ignored.status).toBe(200)
    expect(await ignored.text()).toContain('action="/login"')
    await expectSpecError(await new Browser().request("/authorize", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }))
    await expectSpecError(await form("/authorize", "a".repeat(100_000)))
  })

  it("/authorize: an overlong state is refused without being echoed back", async () => {
    const client = await seedClient()
    const callback = callbackOf(await new Browser().request(authorizeUrl(client.clientId, { state: "s".repeat(10_000) })))
    expect(callback.searchParams.get("error")).toBe("invalid_request")
    expect(callback.searchParams.get("state")).toBeNull()
  })

  it("/login and /consent: missing, bogus or oversized transactions and bodies", async () => {
    for (const path of ["/login", "/consent"]) {
      await expectSpecError(await new Browser().request(path))
      await expectSpecError(await new Browser().request(`${path}?tx=bogus`))
      await expectSpecError(await new Browser().request(`${path}?tx=${"x".repeat(5000)}`))
      await expectSpecError(await form(path, "tx=bogus&csrf=x&email=a&password=b&decision=approve"))
      await expectSpecError(await form(path, "\u0000\u0001\u0002garbage"))
      await expectSpecError(await new Browser().request(path, { method: "POST", body: "tx=a" }))
      await expectSpecError(await new Browser().request(path, { method: "DELETE" }))
    }
  })

  it("/token, /revoke, /introspect: garbage bodies and headers", async () => {
    const client = await seedClient()
    const auth = { authorization: basicAuth(client.clientId, client.secret!) }
    for (const path of ["/token", "/revoke", "/introspect"]) {
      await expectSpecError(await form(path, "a".repeat(100_000), auth))
      await expectSpecError(await form(path, new Uint8Array([0xff, 0xfe, 0x00, 0x80]), auth))
      await expectSpecError(await form(path, "grant_type=%ZZ&token=%&token=%", auth))
      await expectSpecError(await form(path, "", auth))
      await expectSpecError(await form(path, "grant_type=refresh_token&refresh_token=x", { authorization: "Basic " + "A".repeat(20_000) }))
      await expectSpecError(await form(path, "grant_type=refresh_token", { authorization: "Bearer abc" }))
      await expectSpecError(await new Browser().request(path, { method: "POST", headers: auth }))
      await expectSpecError(await new Browser().request(path, { method: "PUT", headers: auth }))
    }
  })

  it("/userinfo: oversized and malformed credentials", async () => {
    for (const authorization of ["Bearer " + "a".repeat(20_000), "Bearer", "Bearer a b", "DPoP abc", "\u00ff"]) {
      await expectSpecError(await new Browser().request("/userinfo", { headers: { authorization } }))
    }
    await expectSpecError(await new Browser().request("/userinfo", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "access_token=a&access_token=b" }))
  })

  it("an unknown path is a plain 404", async () => {
    const response = await new Browser().request("/nope")
    expect(response.status).toBe(404)
  })
})
