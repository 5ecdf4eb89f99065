import { describe, expect, it } from "vitest"
import { Browser } from "./support/browser.ts"
import { seedClient } from "./support/fixtures.ts"
import { obtainTokens } from "./support/flows.ts"

const tokensFor = async () => obtainTokens(await seedClient({ skipConsent: true }))

describe("UserInfo — OIDC Core §5.3, RFC 6750", () => {
  it("answers GET with a bearer header: claims for the granted scopes, no-store, CORS", async () => {
    const { user, tokens } = await tokensFor()
    const response = await new Browser().request("/userinfo", { headers: { authorization: `Bearer ${tokens.access_token}` } })
    expect(response.status).toBe(200)
    expect(response.headers.get("cache-control")).toBe("no-store")
    expect(response.headers.get("access-control-allow-origin")).toBe("*")
    expect(await response.json()).toMatchObject({ sub: user.id, email: user.email, name: "Test User" })
  })

  it("answers POST with the token in the form body (RFC 6750 §2.2)", async () => {
    const { user, tokens } = await tokensFor()
    const response = await new Browser().request("/userinfo", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ access_token: tokens.access_token }).toString()
    })
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ sub: user.id })
  })

  it("ignores a token in the query: 401 with a bare Bearer challenge (RFC 6750 §3.1)", async () => {
    const { tokens } = await tokensFor()
    const response = await new Browser().request(`/userinfo?access_token=${tokens.access_token}`)
    expect(response.status).toBe(401)
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer realm=/)
  })

  it("an invalid token is 401 with error=\"invalid_token\" in WWW-Authenticate", async () => {
    for (const authorization of ["Bearer not-a-token", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "Basic abc"]) {
      const response = await new Browser().request("/userinfo", { headers: { authorization } })
      expect(response.status).toBe(401)
      expect(response.headers.get("www-authenticate")).toContain("error=\"invalid_token\"")
    }
  })

  it("a token in both header and body is invalid_request (RFC 6750 §2)", async () => {
    const { tokens } = await tokensFor()
    const response = await new Browser().request("/userinfo", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Bearer ${tokens.access_token}` },
      body: new URLSearchParams({ access_token: tokens.access_token }).toString()
    })
    expect(response.status).toBe(400)
    expect(response.headers.get("www-authenticate")).toContain("error=\"invalid_request\"")
  })
})
