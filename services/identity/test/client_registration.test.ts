/**
 * Dynamic client registration (RFC 7591) and client configuration (RFC 7592)
 * in the identity service: what a registered client looks like, the ugly
 * metadata it refuses (RFC 7591 §3.2.2 codes), and the registration access
 * token — constant, rotated by updates (a race of updates: one winner),
 * refused after deletion.
 */
import { env } from "cloudflare:test"
import { describe, expect, it } from "vitest"
import { authenticateClient, getClient, upsertClient } from "../src/clients/clients.ts"
import { deregisterClient, readRegisteredClient, updateRegisteredClient } from "../src/clients/client_registration_configuration.ts"
import { registerClient } from "../src/clients/client_registration_create.ts"
import { makeRegistrationHarness } from "./registration_harness.ts"

const web = { redirect_uris: ["https://rp.example/cb"], client_name: "Registered RP" }
const open = (metadata: Record<string, unknown>) => registerClient({ metadata, initialAccessToken: null })

describe("Client registration — RFC 7591 §3.1–3.2.1", () => {
  it("registers a confidential client with RFC 7591 defaults, a secret and a registration access token answered once", async () => {
    const h = makeRegistrationHarness()
    const registered = await h.run(open({ ...web, contacts: ["ops@rp.example"], logo_uri: "https://rp.example/logo.png", unknown_member: { x: 1 }, skip_consent: true }))
    expect(registered.clientId).toMatch(/^dcr_[A-Za-z0-9_-]{22}$/)
    expect(registered.clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(registered.registrationAccessToken).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(registered.metadata).toMatchObject({
      client_id: registered.clientId, client_secret_expires_at: 0, client_name: "Registered RP", redirect_uris: ["https://rp.example/cb"],
      grant_types: ["authorization_code"], response_types: ["code"], token_endpoint_auth_method: "client_secret_basic",
      application_type: "web", contacts: ["ops@rp.example"], logo_uri: "https://rp.example/logo.png"
    })
    expect(registered.metadata).not.toHaveProperty("unknown_member")
    expect(typeof registered.metadata["client_id_issued_at"]).toBe("number")
    // Stored hashed; an operator-only setting like skip_consent is never taken from the client.
    const client = await h.run(getClient(registered.clientId))
    expect(client.skipConsent).toBe(false)
    const row = await env.DB.prepare("SELECT registration_token_hash FROM client_registrations WHERE client_id = ?").bind(registered.clientId).first<{ registration_token_hash: string }>()
    expect(row!.registration_token_hash).toMatch(/^sha256\$[0-9a-f]{64}$/)
    expect(await h.run(authenticateClient({ clientId: registered.clientId, method: "client_secret_basic", clientSecret: registered.clientSecret! }))).toMatchObject({ clientId: registered.clientId })
    expect(h.audit.events().at(-1)).toMatchObject({ type: "client.created", actor: { kind: "system", id: null }, clientId: registered.clientId })
  })

  it("registers a public native client with a reverse-domain scheme and a loopback redirect, without a secret", async () => {
    const h = makeRegistrationHarness()
    const registered = await h.run(open({
      application_type: "native", token_endpoint_auth_method: "none", grant_types: ["authorization_code", "refresh_token"],
      redirect_uris: ["com.example.app:/oauth2redirect", "http://127.0.0.1/cb", "http://[::1]:8080/cb", "http://localhost:3000/cb"]
    }))
    expect(registered.clientSecret).toBeUndefined()
    expect(registered.metadata).not.toHaveProperty("client_secret_expires_at")
    expect((await h.run(getClient(registered.clientId))).isPublic).toBe(true)
  })

  /** Ugly metadata → the RFC 7591 §3.2.2 error. */
  const refused: Array<[string, Record<string, unknown>, "invalid_redirect_uri" | "invalid_client_metadata"]> = [
    ["no redirect URI for the code flow", { client_name: "x" }, "invalid_redirect_uri"],
    ["redirect_uris not an array", { redirect_uris: "https://rp.example/cb" }, "invalid_redirect_uri"],
    ["redirect URI with a fragment", { redirect_uris: ["https://rp.example/cb#frag"] }, "invalid_redirect_uri"],
    ["relative redirect URI", { redirect_uris: ["/cb"] }, "invalid_redirect_uri"],
    ["http redirect URI off loopback", { redirect_uris: ["http://rp.example/cb"] }, "invalid_redirect_uri"],
    ["http on a host that only starts like loopback", { redirect_uris: ["http://127.0.0.1.evil.example/cb"] }, "invalid_redirect_uri"],
    ["credentials in the redirect URI", { redirect_uris: ["https://user:pw@rp.example/cb"] }, "invalid_redirect_uri"],
    ["custom scheme on a web client", { redirect_uris: ["com.example.app:/cb"] }, "invalid_redirect_uri"],
    ["javascript: on a native client", { application_type: "native", redirect_uris: ["javascript:alert(1)"] }, "invalid_redirect_uri"],
    ["custom scheme without a period", { application_type: "native", redirect_uris: ["myapp:/cb"] }, "invalid_redirect_uri"],
    ["post-logout URI over http", { ...web, post_logout_redirect_uris: ["http://rp.example/"] }, "invalid_redirect_uri"],
    ["21 redirect URIs", { redirect_uris: Array.from({ length: 21 }, (_, i) => `https://rp.example/cb${i}`) }, "invalid_redirect_uri"],
    ["client_secret_jwt", { ...web, token_endpoint_auth_method: "client_secret_jwt" }, "invalid_client_metadata"],
    ["auth method not a string", { ...web, token_endpoint_auth_method: 7 }, "invalid_client_metadata"],
    ["both jwks and jwks_uri", { ...web, token_endpoint_auth_method: "private_key_jwt", jwks: { keys: [{ kty: "EC", crv: "P-256", x: "a", y: "b" }] }, jwks_uri: "https://rp.example/jwks" }, "invalid_client_metadata"],
    ["private_key_jwt without keys", { ...web, token_endpoint_auth_method: "private_key_jwt" }, "invalid_client_metadata"],
    ["jwks with a private key", { ...web, token_endpoint_auth_method: "private_key_jwt", jwks: { keys: [{ kty: "EC", d: "secret" }] } }, "invalid_client_metadata"],
    ["jwks keys not objects", { ...web, token_endpoint_auth_method: "private_key_jwt", jwks: { keys: [1, "a"] } }, "invalid_client_metadata"],
    ["jwks on a secret client", { ...web, jwks: { keys: [{ kty: "EC" }] } }, "invalid_client_metadata"],
    ["implicit grant", { ...web, grant_types: ["implicit"], response_types: ["token"] }, "invalid_client_metadata"],
    ["code response without authorization_code", { ...web, grant_types: ["client_credentials"] }, "invalid_client_metadata"],
    ["authorization_code without code response", { ...web, response_types: [] }, "invalid_client_metadata"],
    ["refresh_token alone", { ...web, grant_types: ["refresh_token"], response_types: [] }, "invalid_client_metadata"],
    ["public client with client_credentials", { grant_types: ["client_credentials"], response_types: [], token_endpoint_auth_method: "none" }, "invalid_client_metadata"],
    ["unknown application_type", { ...web, application_type: "desktop" }, "invalid_client_metadata"],
    ["unsupported id_token alg", { ...web, id_token_signed_response_alg: "none" }, "invalid_client_metadata"],
    ["scope with a quote", { ...web, scope: "openid \"x" }, "invalid_client_metadata"],
    ["scope not a string", { ...web, scope: ["openid"] }, "invalid_client_metadata"],
    ["logo_uri javascript:", { ...web, logo_uri: "javascript:alert(1)" }, "invalid_client_metadata"],
    ["policy_uri over http", { ...web, policy_uri: "http://rp.example/policy" }, "invalid_client_metadata"],
    ["client_name too long", { ...web, client_name: "x".repeat(201) }, "invalid_client_metadata"],
    ["contacts not strings", { ...web, contacts: [1] }, "invalid_client_metadata"],
    ["backchannel logout over http", { ...web, backchannel_logout_uri: "http://rp.example/logout" }, "invalid_client_metadata"],
    ["require_pushed_authorization_requests not boolean", { ...web, require_pushed_authorization_requests: "yes" }, "invalid_client_metadata"]
  ]
  for (const [name, metadata, code] of refused) {
    it(`refuses ${name} with ${code}`, async () => {
      const h = makeRegistrationHarness()
      const error = await h.fail(open(metadata))
      expect(error).toMatchObject({ _tag: "OAuthError", code })
      expect((error as { description: string }).description.length).toBeGreaterThan(0)
    })
  }

  it("ignores client_id and client_secret chosen by the client", async () => {
    const h = makeRegistrationHarness()
    const registered = await h.run(open({ ...web, client_id: "admin-console", client_secret: "x".repeat(40) }))
    expect(registered.clientId).not.toBe("admin-console")
    expect(registered.clientSecret).not.toBe("x".repeat(40))
  })
})

describe("Client configuration — RFC 7592 §2", () => {
  it("reads with the registration access token; a wrong token or another client's id is invalid_token", async () => {
    const h = makeRegistrationHarness()
    const a = await h.run(open(web))
    const b = await h.run(open(web))
    const read = await h.run(readRegisteredClient({ clientId: a.clientId, registrationAccessToken: a.registrationAccessToken! }))
    expect(read.metadata).toEqual(a.metadata)
    expect(read.clientSecret).toBeUndefined()
    for (const [clientId, token] of [[a.clientId, "wrong"], [a.clientId, b.registrationAccessToken!], ["unknown", a.registrationAccessToken!]] as const) {
      expect(await h.fail(readRegisteredClient({ clientId, registrationAccessToken: token }))).toMatchObject({ code: "invalid_token" })
    }
  })

  it("a client registered by the admin (not dynamically) has no configuration endpoint", async () => {
    const h = makeRegistrationHarness()
    const seeded = await h.run(upsertClient({ clientId: `seeded-${crypto.randomUUID()}`, redirectUris: ["https://rp.example/cb"] }))
    expect(await h.fail(readRegisteredClient({ clientId: seeded.clientId, registrationAccessToken: "x".repeat(43) }))).toMatchObject({ code: "invalid_token" })
  })

  it("updates: replaces metadata, keeps the secret, rotates the token (the old one stops working)", async () => {
    const h = makeRegistrationHarness()
    const registered = await h.run(open(web))
    const updated = await h.run(updateRegisteredClient({
      clientId: registered.clientId, registrationAccessToken: registered.registrationAccessToken!,
      metadata: { client_id: registered.clientId, client_secret: registered.clientSecret, redirect_uris: ["https://rp.example/new"], client_name: "Renamed" }
    }))
    expect(updated.registrationAccessToken).not.toBe(registered.registrationAccessToken)
    expect(updated.clientSecret).toBeUndefined()
    expect(updated.metadata).toMatchObject({ client_name: "Renamed", redirect_uris: ["https://rp.example/new"] })
    // The very next read sees the change (cache invalidated), and the secret still authenticates.
    expect((await h.run(getClient(registered.clientId))).redirectUris).toEqual(["https://rp.example/new"])
    await h.run(authenticateClient({ clientId: registered.clientId, method: "client_secret_basic", clientSecret: registered.clientSecret! }))
    expect(await h.fail(readRegisteredClient({ clientId: registered.clientId, registrationAccessToken: registered.registrationAccessToken! }))).toMatchObject({ code: "invalid_token" })
    await h.run(readRegisteredClient({ clientId: registered.clientId, registrationAccessToken: updated.registrationAccessToken! }))
    expect(h.audit.events().at(-1)).toMatchObject({ type: "client.updated", actor: { kind: "client", id: registered.clientId } })
  })

  it("refuses an update naming another client_id or a wrong client_secret, and bad metadata, without rotating", async () => {
    const h = makeRegistrationHarness()
    const registered = await h.run(open(web))
    const access = { clientId: registered.clientId, registrationAccessToken: registered.registrationAccessToken! }
    expect(await h.fail(updateRegisteredClient({ ...access, metadata: { ...web } }))).toMatchObject({ code: "invalid_request" })
    expect(await h.fail(updateRegisteredClient({ ...access, metadata: { ...web, client_id: "other" } }))).toMatchObject({ code: "invalid_request" })
    expect(await h.fail(updateRegisteredClient({ ...access, metadata: { ...web, client_id: registered.clientId, client_secret: "wrong" } }))).toMatchObject({ code: "invalid_request" })
    expect(await h.fail(updateRegisteredClient({ ...access, metadata: { client_id: registered.clientId, redirect_uris: ["http://evil.example/"] } }))).toMatchObject({ code: "invalid_redirect_uri" })
    await h.run(readRegisteredClient(access))
  })

  it("a public client made confidential by an update gets its first secret", async () => {
    const h = makeRegistrationHarness()
    const registered = await h.run(open({ ...web, token_endpoint_auth_method: "none" }))
    const updated = await h.run(updateRegisteredClient({
      clientId: registered.clientId, registrationAccessToken: registered.registrationAccessToken!,
      metadata: { ...web, client_id: registered.clientId, token_endpoint_auth_method: "client_secret_post" }
    }))
    expect(updated.clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/)
    await h.run(authenticateClient({ clientId: registered.clientId, method: "client_secret_post", clientSecret: updated.clientSecret! }))
  })

  it("10 concurrent updates with one token: exactly one wins and its token is the valid one", async () => {
    const h = makeRegistrationHarness()
    const registered = await h.run(open(web))
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => h.settle(updateRegisteredClient({
      clientId: registered.clientId, registrationAccessToken: registered.registrationAccessToken!,
      metadata: { ...web, client_id: registered.clientId, client_name: `racer ${i}` }
    }))))
    const winners = results.flatMap((r) => (r._tag === "Success" ? [r.success] : []))
    expect(winners).toHaveLength(1)
    for (const r of results) if (r._tag === "Failure") expect(r.failure).toMatchObject({ code: "invalid_token" })
    const read = await h.run(readRegisteredClient({ clientId: registered.clientId, registrationAccessToken: winners[0]!.registrationAccessToken! }))
    expect(read.metadata["client_name"]).toBe(winners[0]!.metadata["client_name"])
  })

  it("deletes: the client, its registration and its token are gone at once", async () => {
    const h = makeRegistrationHarness()
    const registered = await h.run(open(web))
    const access = { clientId: registered.clientId, registrationAccessToken: registered.registrationAccessToken! }
    expect(await h.fail(deregisterClient({ ...access, registrationAccessToken: "wrong" }))).toMatchObject({ code: "invalid_token" })
    await h.run(getClient(registered.clientId))
    await h.run(deregisterClient(access))
    expect(await h.fail(getClient(registered.clientId))).toMatchObject({ _tag: "NotFound" })
    expect(await h.fail(readRegisteredClient(access))).toMatchObject({ code: "invalid_token" })
    expect(await h.fail(deregisterClient(access))).toMatchObject({ code: "invalid_token" })
    expect(await h.fail(authenticateClient({ clientId: registered.clientId, method: "client_secret_basic", clientSecret: registered.clientSecret! }))).toMatchObject({ code: "invalid_client" })
    expect(h.audit.events().at(-1)).toMatchObject({ type: "client.deleted", actor: { kind: "client", id: registered.clientId } })
  })
})
