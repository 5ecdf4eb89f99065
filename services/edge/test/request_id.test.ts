/** Every edge response names its request id (Cloudflare's ray id when present), the id the logs and audit trail carry. */
import { describe, expect, it } from "vitest"
import { Browser } from "./support/browser.ts"

describe("x-request-id", () => {
  it("is the cf-ray of the request when Cloudflare gave one", async () => {
    const response = await new Browser().request("/.well-known/openid-configuration", { headers: { "cf-ray": "8f00aa11bb22cc33-NRT" } })
    expect(response.headers.get("x-request-id")).toBe("8f00aa11bb22cc33-NRT")
  })

  it("is a fresh id per request otherwise, also on error answers", async () => {
    const a = await new Browser().request("/.well-known/openid-configuration")
    const b = await new Browser().request("/token", { method: "POST", body: new URLSearchParams({ grant_type: "nonsense" }) })
    expect(b.status).toBe(401) // no client authentication: invalid_client
    const ids = [a.headers.get("x-request-id"), b.headers.get("x-request-id")]
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/)
    expect(ids[0]).not.toBe(ids[1])
  })
})
