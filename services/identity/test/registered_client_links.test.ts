/**
 * Issue 12 §5: a dynamically registered client's `logo_uri`, `policy_uri` and
 * `tos_uri` (RFC 7591 §2) are folded into the `oauth_clients` columns the
 * admin API sets, so the client record — and the login and consent pages —
 * carry them; an RFC 7592 update replaces them (absent members clear them).
 */
import { env } from "cloudflare:test"
import { describe, expect, it } from "vitest"
import { getClient } from "../src/clients/clients.ts"
import { updateRegisteredClient } from "../src/clients/client_registration_configuration.ts"
import { registerClient } from "../src/clients/client_registration_create.ts"
import { makeRegistrationHarness } from "./registration_harness.ts"

const links = { logo_uri: "https://rp.example/logo.png", policy_uri: "https://rp.example/privacy", tos_uri: "https://rp.example/tos" }
const web = { redirect_uris: ["https://rp.example/cb"], client_name: "Registered RP" }

describe("Dynamic registration — page links folded into the client record", () => {
  it("registration stores them in oauth_clients and the client record carries them", async () => {
    const h = makeRegistrationHarness()
    const registered = await h.run(registerClient({ metadata: { ...web, ...links }, initialAccessToken: null }))
    const row = await env.DB.prepare("SELECT logo_uri, policy_uri, tos_uri FROM oauth_clients WHERE client_id = ?").bind(registered.clientId).first()
    expect(row).toEqual(links)
    expect(await h.run(getClient(registered.clientId))).toMatchObject({ logoUri: links.logo_uri, policyUri: links.policy_uri, tosUri: links.tos_uri })
    expect(registered.metadata).toMatchObject(links)
  })

  it("an RFC 7592 update replaces them; absent members clear them", async () => {
    const h = makeRegistrationHarness()
    const registered = await h.run(registerClient({ metadata: { ...web, ...links }, initialAccessToken: null }))
    await h.run(updateRegisteredClient({
      clientId: registered.clientId, registrationAccessToken: registered.registrationAccessToken!,
      metadata: { ...web, client_id: registered.clientId, client_secret: registered.clientSecret, policy_uri: "https://rp.example/privacy-v2" }
    }))
    const row = await env.DB.prepare("SELECT logo_uri, policy_uri, tos_uri FROM oauth_clients WHERE client_id = ?").bind(registered.clientId).first()
    expect(row).toEqual({ logo_uri: null, policy_uri: "https://rp.example/privacy-v2", tos_uri: null })
    const client = await h.run(getClient(registered.clientId))
    expect(client.policyUri).toBe("https://rp.example/privacy-v2")
    expect(client.logoUri).toBeUndefined()
  })
})
