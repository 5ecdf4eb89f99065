import { describe, expect, it } from "vitest"
import { Browser, ORIGIN, parseForm } from "./support/browser.ts"
import { REDIRECT_URI, seedClient } from "./support/fixtures.ts"
import { authorizeUrl, callbackOf } from "./support/flows.ts"

/** An error page: HTML, hardened, and never a redirect. */
const expectErrorPage = async (response: Response, status = 400) => {
  expect(response.status).toBe(status)
  expect(response.headers.get("location")).toBeNull()
  expect(response.headers.get("content-type")).toContain("text/html")
  expect(response.headers.get("x-frame-options")).toBe("DENY")
  expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'")
  const html = await response.text()
  expect(html).not.toContain("at ")
  return html
}

/** The error sent to the RP's redirect_uri, with state and iss (RFC 9207). */
const expectRedirectError = (response: Response, code: string) => {
  const callback = callbackOf(response)
  expect(callback.searchParams.get("error")).toBe(code)
  expect(callback.searchParams.get("state")).toBe("state-123")
  expect(callback.searchParams.get("iss")).toBe(ORIGIN)
  expect(callback.searchParams.get("code")).toBeNull()
  return callback
}

describe("Untrusted redirect target — RFC 6749 §4.1.2.1 (error page, never a redirect)", () => {
  it("shows an error page for an unknown client", async () => {
    await expectErrorPage(await new Browser().request(authorizeUrl("no-such-client")))
  })

  it("shows an error page without client_id", async () => {
    await expectErrorPage(await new Browser().request(authorizeUrl("x", { client_id: null })))
  })

  it("shows an error page for a redirect_uri that is not registered exactly", async () => {
    const client = await seedClient()
    for (const uri of [`${REDIRECT_URI}/`, `${REDIRECT_URI}?x=1`, "https://rp.test/CB", "https://evil.test/cb", "https://rp.test/cb#f", "https://RP.test/cb"]) {
      await expectErrorPage(await new Browser().request(authorizeUrl(client.clientId, { redirect_uri: uri })))
    }
  })

  it("shows an error page when redirect_uri is missing (OIDC Core §3.1.2.1: required)", async () => {
    const client = await seedClient()
    await expectErrorPage(await new Browser().request(authorizeUrl(client.clientId, { redirect_uri: null })))
  })

  it("shows an error page when client_id or redirect_uri is sent twice", async () => {
    const client = await seedClient()
    await expectErrorPage(await new Browser().request(`${authorizeUrl(client.clientId)}&client_id=${client.clientId}`))
    await expectErrorPage(await new Browser().request(`${authorizeUrl(client.clientId)}&redirect_uri=${encodeURIComponent(REDIRECT_URI)}`))
  })

  it("escapes what it echoes (no reflected HTML)", async () => {
    const html = await expectErrorPage(await new Browser().request(authorizeUrl("<script>alert(1)</script>")))
    expect(html).not.toContain("<script>alert(1)</script>")
  })
})

describe("Authorization request errors to the redirect_uri — RFC 6749 §4.1.2.1, RFC 9207", () => {
  it("refuses response types other than code with unsupported_response_type", async () => {
    const client = await seedClient()
    for (const responseType of ["token", "id_token", "code id_token"]) {
      expectRedirectError(await new Browser().request(authorizeUrl(client.clientId, { response_type: responseType })), "unsupported_response_type")
    }
  })

  it("requires response_type", async () => {
    const client = await seedClient()
    expectRedirectError(await new Browser().request(authorizeUrl(client.clientId, { response_type: null })), "invalid_request")
  })

  it("requires the openid scope and a well-formed scope (other values are dropped, see scope_narrowing.test.ts)", async () => {
    const client = await seedClient({ scope: "openid profile" })
    expectRedirectError(await new Browser().request(authorizeUrl(client.clientId, { scope: "profile" })), "invalid_scope")
    expectRedirectError(await new Browser().request(authorizeUrl(client.clientId, { scope: "openid \\x" })), "invalid_scope")
    expectRedirectError(await new Browser().request(authorizeUrl(client.clientId, { scope: null })), "invalid_request")
  })

  it("answers an unsigned request object with invalid_request_object (RFC 9101) and an unregistered request_uri with invalid_request_uri (RFC 9101 §5.2)", async () => {
    const client = await seedClient()
    expectRedirectError(await new Browser().request(authorizeUrl(client.clientId, { request: "eyJhbGciOiJub25lIn0.e30." })), "invalid_request_object")
    expectRedirectError(await new Browser().request(authorizeUrl(client.clientId, { request_uri: "https://rp.test/req" })), "invalid_request_uri")
  })

  it("refuses a parameter sent twice with invalid_request (RFC 6749 §3.1)", async () => {
    const client = await seedClient()
    expectRedirectError(await new Browser().request(`${authorizeUrl(client.clientId)}&nonce=again`), "invalid_request")
  })

  it("refuses prompt=none combined with another value, unknown prompts and a malformed max_age", async () => {
    const client = await seedClient()
    const cases: Array<Record<string, string>> = [{ prompt: "none login" }, { prompt: "bogus" }, { max_age: "-1" }, { max_age: "1e3" }, { response_mode: "fragment" }]
    for (const params of cases) {
      expectRedirectError(await new Browser().request(authorizeUrl(client.clientId, params)), "invalid_request")
    }
  })

  it("ignores unknown parameters", async () => {
    const client = await seedClient()
    const response = await new Browser().request(authorizeUrl(client.clientId, { foo: "bar", claims: "{}", display: "page", ui_locales: "fr" }))
    // The login page, rendered in the answer itself (issue 10).
    expect(response.status).toBe(200)
    expect(parseForm(await response.text())?.action).toBe("/login")
  })

  it("delivers errors by form_post when asked (Form Post Response Mode)", async () => {
    const client = await seedClient()
    const response = await new Browser().request(authorizeUrl(client.clientId, { response_mode: "form_post", response_type: "token" }))
    expect(response.status).toBe(200)
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'")
    const form = parseForm(await response.text())
    expect(form?.action).toBe(REDIRECT_URI)
    expect(form?.method).toBe("POST")
    expect(form?.fields).toMatchObject({ error: "unsupported_response_type", state: "state-123", iss: ORIGIN })
  })
})
