/**
 * The console client form's protocol section (issue 14): request_uris and
 * the token exchange audiences are written through the admin API (the
 * client record shows them), shown again on the edit page, cleared by
 * emptying them, and a refused value is named in the page's banner.
 */
import { env } from "cloudflare:workers"
import { TOKEN_EXCHANGE_GRANT } from "@authrim/contracts"
import { beforeAll, describe, expect, it } from "vitest"
import { Browser } from "./support/browser.ts"
import { consoleAdmin, formFields, seedConsoleClient } from "./support/console_flows.ts"

beforeAll(seedConsoleClient)

const post = (browser: Browser, path: string, fields: Record<string, string | ReadonlyArray<string>>) => {
  const params = new URLSearchParams()
  for (const [name, value] of Object.entries(fields)) for (const v of typeof value === "string" ? [value] : value) params.append(name, v)
  return browser.request(path, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: params.toString() })
}

const clientFields = (csrf: string, extra: Record<string, string | ReadonlyArray<string>> = {}) => ({
  csrf, clientName: "Protocol RP", redirectUris: "https://rp.test/protocol-cb",
  grantTypes: ["authorization_code", "client_credentials", TOKEN_EXCHANGE_GRANT], tokenEndpointAuthMethod: "client_secret_basic", scope: "openid profile",
  ...extra
})

const stored = async (clientId: string) => {
  const result = await env.IDENTITY.getClient({ clientId })
  if (result._tag !== "Success") throw new Error(JSON.stringify(result))
  return result.value
}

describe("console — client protocol settings", () => {
  it("request_uris and token exchange audiences: created, shown on the edit page, changed, cleared", async () => {
    const { browser } = await consoleAdmin(["clients:read", "clients:write"])
    const { csrf } = formFields(await (await browser.request("/admin/clients/new")).text(), "/admin/clients/new")
    const created = await post(browser, "/admin/clients/new", clientFields(csrf!, {
      requestUris: "https://rp.test/requests/\nhttps://rp.test/one.jwt", tokenExchangePolicy: "https://notes.example/api\nurn:example:billing"
    }))
    expect(created.status).toBe(200)
    const clientId = /<dd><code>([^<]+)<\/code><\/dd>/.exec(await created.text())![1]!
    expect(await stored(clientId)).toMatchObject({
      requestUris: ["https://rp.test/requests/", "https://rp.test/one.jwt"],
      tokenExchangePolicy: { audiences: ["https://notes.example/api", "urn:example:billing"], delegation: true }
    })
    const editHtml = await (await browser.request(`/admin/clients/${clientId}`)).text()
    expect(editHtml).toContain("Protocol settings")
    expect(editHtml).toMatch(/name="requestUris"[^>]*>https:&#x2F;&#x2F;rp.test&#x2F;requests&#x2F;\nhttps:&#x2F;&#x2F;rp.test&#x2F;one.jwt</)
    expect(editHtml).toMatch(/name="tokenExchangePolicy"[^>]*>https:&#x2F;&#x2F;notes.example&#x2F;api\nurn:example:billing</)

    const fields = formFields(editHtml, `/admin/clients/${clientId}`)
    const saved = await post(browser, `/admin/clients/${clientId}`, clientFields(fields["csrf"]!, { version: fields["version"]!, requestUris: "", tokenExchangePolicy: "" }))
    expect(saved.status).toBe(303)
    const cleared = await stored(clientId)
    expect(cleared.requestUris ?? []).toEqual([])
    expect(cleared.tokenExchangePolicy ?? null).toBeNull()
  })

  it("a refused request URI is named in the banner, the input kept; the Japanese form is labelled in Japanese", async () => {
    const { browser } = await consoleAdmin(["clients:read", "clients:write"])
    const { csrf } = formFields(await (await browser.request("/admin/clients/new")).text(), "/admin/clients/new")
    const refused = await post(browser, "/admin/clients/new", clientFields(csrf!, { requestUris: "not a url" }))
    expect(refused.status).toBe(400)
    const html = await refused.text()
    // Identity's client-metadata refusal names the member in its message (the banner), not as a field pointer.
    expect(html).toMatch(/role="alert"[\s\S]*request_uris must be an absolute https URL/)
    expect(html).toMatch(/name="requestUris"[^>]*>not a url</)
    const ja = await (await browser.request("/admin/clients/new", { headers: { "accept-language": "ja" } })).text()
    expect(ja).toContain("プロトコル設定")
    expect(ja).toContain("トークン交換のオーディエンス")
  })
})
