/**
 * Issue 14: OIDC Core §8 subject type metadata (migration 0024) — written and
 * read back through the seed/admin upsert, the admin API and dynamic
 * registration; a pairwise client needs a sector (its sector_identifier_uri,
 * else the one host of its redirect_uris).
 */
import { OAuthError } from "@authrim/contracts"
import { env } from "cloudflare:test"
import { describe, expect, it } from "vitest"
import { createClient, getClientRecord, updateClient } from "../src/clients/client_administration.ts"
import { getClient, upsertClient } from "../src/clients/clients.ts"
import { readRegisteredClient } from "../src/clients/client_registration_configuration.ts"
import { registerClient } from "../src/clients/client_registration_create.ts"
import { makeHarness, unique } from "./identity_harness.ts"
import { makeRegistrationHarness } from "./registration_harness.ts"

const ADMIN = "admin-pw"

describe("subject_type / sector_identifier_uri — upsert (seed file)", () => {
  it("public by default: the client looks as before, the column says public", async () => {
    const h = makeHarness()
    const clientId = unique("pub")
    const client = await h.run(upsertClient({ clientId, redirectUris: ["https://rp.example/cb"] }))
    expect(client.subjectType).toBeUndefined()
    expect(client.sectorIdentifierUri).toBeUndefined()
    const row = await env.DB.prepare("SELECT subject_type, sector_identifier_uri FROM oauth_clients WHERE client_id = ?").bind(clientId).first()
    expect(row).toEqual({ subject_type: "public", sector_identifier_uri: null })
  })

  it("pairwise with one redirect host, or with a sector_identifier_uri, is stored and read back; public again clears it", async () => {
    const h = makeHarness()
    const one = unique("pw1")
    await h.run(upsertClient({ clientId: one, redirectUris: ["https://rp.example/a", "https://rp.example/b"], subjectType: "pairwise" }))
    expect(await h.run(getClient(one))).toMatchObject({ subjectType: "pairwise" })
    const several = unique("pw2")
    const sector = "https://sector.example/redirects.json"
    await h.run(upsertClient({
      clientId: several, redirectUris: ["https://a.example/cb", "https://b.example/cb"], subjectType: "pairwise", sectorIdentifierUri: sector
    }))
    expect(await h.run(getClient(several))).toMatchObject({ subjectType: "pairwise", sectorIdentifierUri: sector })
    await h.run(upsertClient({ clientId: several, redirectUris: ["https://a.example/cb"] }))
    const cleared = await h.run(getClient(several))
    expect(cleared.subjectType).toBeUndefined()
    expect(cleared.sectorIdentifierUri).toBeUndefined()
  })

  it("refused with invalid_client_metadata: pairwise on several hosts without a sector URI, no redirect at all, a non-https sector URI", async () => {
    const h = makeHarness()
    const cases = [
      { redirectUris: ["https://a.example/cb", "https://b.example/cb"], subjectType: "pairwise" as const },
      { redirectUris: [], grantTypes: ["client_credentials"], clientSecret: "x".repeat(40), subjectType: "pairwise" as const },
      { redirectUris: ["https://a.example/cb"], subjectType: "pairwise" as const, sectorIdentifierUri: "http://sector.example/r.json" },
      { redirectUris: ["https://a.example/cb"], subjectType: "pairwise" as const, sectorIdentifierUri: "not a url" }
    ]
    for (const input of cases) {
      const error = await h.fail(upsertClient({ clientId: unique("bad"), ...input }))
      expect(error).toBeInstanceOf(OAuthError)
      expect(error).toMatchObject({ code: "invalid_client_metadata" })
    }
  })
})

describe("subject_type — admin API (client_admin v4)", () => {
  it("create, read, change to pairwise with a sector URI, and back; a change that leaves no sector is refused", async () => {
    const h = makeHarness()
    const settings = { clientName: "Pairwise RP", redirectUris: ["https://rp.example/cb"], tokenEndpointAuthMethod: "client_secret_basic" as const }
    const { client } = await h.run(createClient({ client: { ...settings, subjectType: "pairwise" }, actorId: ADMIN }))
    expect(client).toMatchObject({ subjectType: "pairwise", version: 1 })
    expect(await h.run(getClientRecord({ clientId: client.clientId }))).toMatchObject({ subjectType: "pairwise" })
    const refused = await h.fail(updateClient({
      clientId: client.clientId, expectedVersion: 1, changes: { redirectUris: ["https://a.example/cb", "https://b.example/cb"] }, actorId: ADMIN
    }))
    expect(refused).toMatchObject({ code: "invalid_client_metadata" })
    const { client: withSector } = await h.run(updateClient({
      clientId: client.clientId, expectedVersion: 1, actorId: ADMIN,
      changes: { redirectUris: ["https://a.example/cb", "https://b.example/cb"], sectorIdentifierUri: "https://sector.example/r.json" }
    }))
    expect(withSector).toMatchObject({ subjectType: "pairwise", sectorIdentifierUri: "https://sector.example/r.json", version: 2 })
    const { client: back } = await h.run(updateClient({
      clientId: client.clientId, expectedVersion: 2, actorId: ADMIN, changes: { subjectType: "public", sectorIdentifierUri: null }
    }))
    expect(back.subjectType).toBeUndefined()
    expect(back.sectorIdentifierUri).toBeUndefined()
    expect((await h.run(getClient(client.clientId))).subjectType).toBeUndefined()
  })
})

describe("subject_type — dynamic registration (RFC 7591 / OIDC Registration §2)", () => {
  it("registers a pairwise client and answers subject_type and sector_identifier_uri back", async () => {
    const h = makeRegistrationHarness()
    const registered = await h.run(registerClient({
      metadata: {
        redirect_uris: ["https://a.example/cb", "https://b.example/cb"], subject_type: "pairwise", sector_identifier_uri: "https://sector.example/r.json"
      },
      initialAccessToken: null
    }))
    expect(registered.metadata).toMatchObject({ subject_type: "pairwise", sector_identifier_uri: "https://sector.example/r.json" })
    expect(await h.run(getClient(registered.clientId))).toMatchObject({ subjectType: "pairwise", sectorIdentifierUri: "https://sector.example/r.json" })
    const read = await h.run(readRegisteredClient({ clientId: registered.clientId, registrationAccessToken: registered.registrationAccessToken! }))
    expect(read.metadata).toMatchObject({ subject_type: "pairwise" })
  })

  it("refuses an unknown subject_type and a pairwise client on several hosts without a sector URI", async () => {
    const h = makeRegistrationHarness()
    for (const metadata of [
      { redirect_uris: ["https://a.example/cb"], subject_type: "secret" },
      { redirect_uris: ["https://a.example/cb", "https://b.example/cb"], subject_type: "pairwise" },
      { redirect_uris: ["https://a.example/cb"], subject_type: "pairwise", sector_identifier_uri: "ftp://sector.example/r.json" }
    ]) {
      expect(await h.fail(registerClient({ metadata, initialAccessToken: null }))).toMatchObject({ code: "invalid_client_metadata" })
    }
  })
})
