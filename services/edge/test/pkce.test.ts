import { describe, expect, it } from "vitest"
import { Browser } from "./support/browser.ts"
import { seedClient, seedUser } from "./support/fixtures.ts"
import { authorizeUrl, callbackOf, pkcePair, redeemCode, signIn } from "./support/flows.ts"

describe("PKCE — RFC 7636", () => {
  it("requires PKCE from public clients", async () => {
    const client = await seedClient({ tokenEndpointAuthMethod: "none" })
    const callback = callbackOf(await new Browser().request(authorizeUrl(client.clientId)))
    expect(callback.searchParams.get("error")).toBe("invalid_request")
  })

  it("refuses plain, a missing method and a malformed challenge", async () => {
    const client = await seedClient({ tokenEndpointAuthMethod: "none" })
    const { challenge } = await pkcePair()
    const cases: Array<Record<string, string>> = [
      { code_challenge: challenge, code_challenge_method: "plain" },
      { code_challenge: challenge },
      { code_challenge: "short", code_challenge_method: "S256" },
      { code_challenge_method: "S256" }
    ]
    for (const params of cases) {
      expect(callbackOf(await new Browser().request(authorizeUrl(client.clientId, params))).searchParams.get("error")).toBe("invalid_request")
    }
  })

  it("a public client redeems with the right verifier and fails with a wrong one", async () => {
    const client = await seedClient({ tokenEndpointAuthMethod: "none", skipConsent: true })
    const user = await seedUser()
    const browser = new Browser()
    const good = await pkcePair()
    const code = (await signIn(browser, client, user, { code_challenge: good.challenge, code_challenge_method: "S256" })).searchParams.get("code")!
    const ok = await redeemCode(client, code, good.verifier)
    expect(ok.status).toBe(200)
    expect(await ok.json()).toHaveProperty("id_token")

    const other = await pkcePair()
    const code2 = (await signIn(browser, client, user, { code_challenge: other.challenge, code_challenge_method: "S256" })).searchParams.get("code")!
    const wrong = await redeemCode(client, code2, (await pkcePair()).verifier)
    expect(wrong.status).toBe(400)
    expect(await wrong.json()).toMatchObject({ error: "invalid_grant" })
  })
})
