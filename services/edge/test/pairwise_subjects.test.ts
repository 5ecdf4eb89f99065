/**
 * Issue 14: pairwise subject identifiers (OIDC Core §8.1) through the edge and
 * the real backends — one client sees one `sub` per user across sign-ins, two
 * clients of one sector see the same, clients of different sectors different
 * ones, never the user id; the pairwise `sub` is what the ID token, access
 * token, /userinfo, introspection (access and refresh tokens) and refreshed
 * tokens say; a pairwise ID token is a good `id_token_hint` at /end_session.
 * Sector identifier documents (OIDC Registration §5) are fetched from a real
 * HTTP server (test-support/request_object_host.ts) at registration; every
 * bad one is `invalid_client_metadata`.
 */
import { env } from "cloudflare:workers"
import { Effect } from "effect"
import { beforeAll, describe, expect, it } from "vitest"
import worker from "../src/index.ts"
import { checkSectorIdentifier } from "../src/pairwise/check_sector_identifier.ts"
import { sectorIdentifierSettingsFor } from "../src/pairwise/sector_identifier_settings.ts"
import { Browser, ORIGIN } from "./support/browser.ts"
import { REDIRECT_URI, seedClient, seedUser, type SeededClient, type SeededUser } from "./support/fixtures.ts"
import { jwtPayload, pkcePair, postForm, redeemCode, signIn } from "./support/flows.ts"
import { adminCall, problemOf, signInAdmin } from "./support/admin_flows.ts"
import { consoleAdmin, formFields, seedConsoleClient } from "./support/console_flows.ts"

const HOST = env.REQUEST_OBJECT_HOST

/** A pairwise client; by default on the fixtures' one redirect host (rp.test), skipping consent. */
const pairwiseClient = (extra: Record<string, unknown> = {}) =>
  seedClient({ subjectType: "pairwise", skipConsent: true, postLogoutRedirectUris: ["https://rp.test/bye"], ...extra })

type Tokens = { access_token: string; refresh_token?: string; id_token: string }

/** Signs `user` in to `client` in `browser` and redeems the code (openid, offline_access for a refresh token). */
const tokensFor = async (client: SeededClient, user: SeededUser, browser = new Browser()): Promise<Tokens> => {
  const { verifier, challenge } = await pkcePair()
  const callback = await signIn(browser, client, user, { code_challenge: challenge, code_challenge_method: "S256", scope: "openid profile offline_access", prompt: "consent" })
  const response = await redeemCode(client, callback.searchParams.get("code")!, verifier)
  expect(response.status).toBe(200)
  return response.json<Tokens>()
}

const subOf = (jwt: string) => jwtPayload(jwt)["sub"] as string

/** Stores `body` on the RP's server; its URL. */
const hostDocument = async (body: string): Promise<string> => {
  const id = crypto.randomUUID()
  expect((await fetch(`${HOST}/o/${id}`, { method: "PUT", body })).status).toBe(204)
  return `${HOST}/o/${id}`
}

const unwrap = <T>(result: { _tag: "Success"; value: T } | { _tag: "Failure"; error: unknown }): T => {
  if (result._tag === "Failure") throw new Error(JSON.stringify(result.error))
  return result.value
}

/** `POST /register` with a fresh initial access token, from a fresh client IP (the registration rate limit is per IP). */
const register = async (metadata: Record<string, unknown>) => {
  const token = unwrap(await env.IDENTITY_ADMIN.createInitialAccessToken({ adminUserId: "admin-test" }))
  return worker.fetch(new Request(`${ORIGIN}/register`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token.token}`, "cf-connecting-ip": `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` },
    body: JSON.stringify(metadata)
  }), env)
}

describe("Pairwise sub — OIDC Core §8.1", () => {
  it("is stable across sign-ins for one client, shared by two clients of one sector, different across sectors, never the user id", async () => {
    const user = await seedUser()
    const first = await pairwiseClient()
    const sameSector = await pairwiseClient({ redirectUris: [REDIRECT_URI] })
    const otherSector = await pairwiseClient({ sectorIdentifierUri: "https://sector.example/redirects.json" })
    const publicClient = await seedClient({ skipConsent: true })
    const one = subOf((await tokensFor(first, user)).id_token)
    const again = subOf((await tokensFor(first, user)).id_token)
    expect(one).toBe(again)
    expect(one).not.toBe(user.id)
    expect(one).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(subOf((await tokensFor(sameSector, user)).id_token)).toBe(one)
    const other = subOf((await tokensFor(otherSector, user)).id_token)
    expect(other).not.toBe(one)
    expect(other).not.toBe(user.id)
    expect(subOf((await tokensFor(publicClient, user)).id_token)).toBe(user.id)
    // Another user of the same client gets another pairwise sub.
    expect(subOf((await tokensFor(first, await seedUser())).id_token)).not.toBe(one)
  })

  it("the access token carries the same sub and an opaque authrim_user (never the user id in the clear)", async () => {
    const user = await seedUser()
    const tokens = await tokensFor(await pairwiseClient(), user)
    const access = jwtPayload(tokens.access_token)
    expect(access["sub"]).toBe(subOf(tokens.id_token))
    expect(typeof access["authrim_user"]).toBe("string")
    expect(JSON.stringify(access)).not.toContain(user.id)
    expect(JSON.stringify(jwtPayload(tokens.id_token))).not.toContain(user.id)
  })

  it("/userinfo answers the pairwise sub with the real user's claims", async () => {
    const user = await seedUser()
    const tokens = await tokensFor(await pairwiseClient(), user)
    const response = await new Browser().request("/userinfo", { headers: { authorization: `Bearer ${tokens.access_token}` } })
    expect(response.status).toBe(200)
    const claims = await response.json<Record<string, unknown>>()
    expect(claims["sub"]).toBe(subOf(tokens.id_token))
    expect(claims["name"]).toBe("Test User")
  })

  it("introspection of the access and of the refresh token shows the pairwise sub", async () => {
    const client = await pairwiseClient()
    const tokens = await tokensFor(client, await seedUser())
    const sub = subOf(tokens.id_token)
    const access = await (await postForm("/introspect", { token: tokens.access_token }, client)).json<Record<string, unknown>>()
    expect(access).toMatchObject({ active: true, sub })
    expect(tokens.refresh_token).toBeTruthy()
    const refresh = await (await postForm("/introspect", { token: tokens.refresh_token! }, client)).json<Record<string, unknown>>()
    expect(refresh).toMatchObject({ active: true, sub, token_type: "refresh_token" })
  })

  it("refresh-issued ID and access tokens keep the pairwise sub; their access token still opens /userinfo", async () => {
    const client = await pairwiseClient()
    const tokens = await tokensFor(client, await seedUser())
    const refreshed = await postForm("/token", { grant_type: "refresh_token", refresh_token: tokens.refresh_token! }, client)
    expect(refreshed.status).toBe(200)
    const next = await refreshed.json<Tokens>()
    expect(subOf(next.id_token)).toBe(subOf(tokens.id_token))
    expect(subOf(next.access_token)).toBe(subOf(tokens.id_token))
    const userinfo = await new Browser().request("/userinfo", { headers: { authorization: `Bearer ${next.access_token}` } })
    expect((await userinfo.json<Record<string, unknown>>())["sub"]).toBe(subOf(tokens.id_token))
  })

  it("a revoked pairwise access token is refused at /userinfo", async () => {
    const client = await pairwiseClient()
    const tokens = await tokensFor(client, await seedUser())
    expect((await postForm("/revoke", { token: tokens.access_token }, client)).status).toBe(200)
    const response = await new Browser().request("/userinfo", { headers: { authorization: `Bearer ${tokens.access_token}` } })
    expect(response.status).toBe(401)
  })

  it("a pairwise ID token is a good id_token_hint: /end_session logs the session out at once", async () => {
    const client = await pairwiseClient()
    const browser = new Browser()
    const tokens = await tokensFor(client, await seedUser(), browser)
    const url = new URL("/end_session", ORIGIN)
    url.searchParams.set("id_token_hint", tokens.id_token)
    url.searchParams.set("post_logout_redirect_uri", "https://rp.test/bye")
    url.searchParams.set("state", "pw")
    const response = await browser.request(url.toString())
    expect(response.status).toBe(303)
    expect(response.headers.get("location")).toBe("https://rp.test/bye?state=pw")
  })

  it("discovery advertises public and pairwise", async () => {
    const meta = await (await new Browser().request("/.well-known/openid-configuration")).json<Record<string, unknown>>()
    expect(meta["subject_types_supported"]).toEqual(["public", "pairwise"])
  })
})

describe("Sector identifier documents at registration — OIDC Registration §5", () => {
  const redirects = ["https://a.rp.test/cb", "https://b.rp.test/cb"]

  it("a document listing every redirect_uri registers a pairwise client on several hosts; its sector is the document's host", async () => {
    const uri = await hostDocument(JSON.stringify([...redirects, "https://c.rp.test/cb"]))
    const response = await register({ redirect_uris: redirects, subject_type: "pairwise", sector_identifier_uri: uri })
    expect(response.status).toBe(201)
    expect(await response.json()).toMatchObject({ subject_type: "pairwise", sector_identifier_uri: uri })
  })

  it("a missing redirect_uri, not an array, not strings, not JSON, too big, a redirect, a 404: invalid_client_metadata", async () => {
    const cases = [
      await hostDocument(JSON.stringify([redirects[0]])),
      await hostDocument(JSON.stringify({ redirect_uris: redirects })),
      await hostDocument(JSON.stringify([...redirects, 7])),
      await hostDocument("not json"),
      `${HOST}/big`,
      `${HOST}/redirect/${crypto.randomUUID()}`,
      `${HOST}/missing`
    ]
    for (const uri of cases) {
      const response = await register({ redirect_uris: redirects, subject_type: "pairwise", sector_identifier_uri: uri })
      expect(response.status, uri).toBe(400)
      expect((await response.json<{ error: string }>()).error).toBe("invalid_client_metadata")
    }
  })

  it("RFC 7592 update: the registration access token is checked before anything is fetched; a good document is accepted", async () => {
    const uri = await hostDocument(JSON.stringify(redirects))
    const registered = await (await register({ redirect_uris: redirects, subject_type: "pairwise", sector_identifier_uri: uri })).json<{
      client_id: string; registration_access_token: string
    }>()
    const fetchedBefore = Number(await (await fetch(`${HOST}/count/${uri.split("/").pop()}`)).text())
    const update = (token: string) => worker.fetch(new Request(`${ORIGIN}/register?client_id=${registered.client_id}`, {
      method: "PUT",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "cf-connecting-ip": `10.8.${Math.floor(Math.random() * 250)}.1` },
      body: JSON.stringify({ client_id: registered.client_id, redirect_uris: redirects, subject_type: "pairwise", sector_identifier_uri: uri })
    }), env)
    expect((await update("not-the-token")).status).toBe(401)
    expect(Number(await (await fetch(`${HOST}/count/${uri.split("/").pop()}`)).text())).toBe(fetchedBefore)
    const accepted = await update(registered.registration_access_token)
    expect(accepted.status).toBe(200)
    expect(Number(await (await fetch(`${HOST}/count/${uri.split("/").pop()}`)).text())).toBe(fetchedBefore + 1)
  })

  it("pairwise on several hosts without a document: invalid_client_metadata", async () => {
    const response = await register({ redirect_uris: redirects, subject_type: "pairwise" })
    expect(response.status).toBe(400)
    expect((await response.json<{ error: string }>()).error).toBe("invalid_client_metadata")
  })

  it("http is refused in production (loopback http only in development); a redirect is never followed", async () => {
    const uri = await hostDocument(JSON.stringify(redirects))
    const production = sectorIdentifierSettingsFor({ AUTHRIM_ENV: "production" })
    const refused = await Effect.runPromise(Effect.flip(checkSectorIdentifier(uri, redirects, production)))
    expect(refused).toMatchObject({ code: "invalid_client_metadata" })
    const development = sectorIdentifierSettingsFor({ AUTHRIM_ENV: "development" })
    await Effect.runPromise(checkSectorIdentifier(uri, redirects, development))
    const other = await Effect.runPromise(Effect.flip(checkSectorIdentifier("http://sector.example/r.json", redirects, development)))
    expect(other).toMatchObject({ code: "invalid_client_metadata" })
    const redirect = await Effect.runPromise(Effect.flip(checkSectorIdentifier(`${HOST}/redirect/x`, redirects, development)))
    expect(redirect.description).toContain("302")
  })
})

describe("Sector identifier documents at admin writes (admin API, console)", () => {
  it("create and PATCH fetch the document: a good one is stored, one missing a redirect_uri is refused with nothing written", async () => {
    const { token } = await signInAdmin(["clients:read", "clients:write"])
    const redirects = ["https://a.rp.test/cb", "https://b.rp.test/cb"]
    const good = await hostDocument(JSON.stringify(redirects))
    const body = { clientName: "Pairwise RP", redirectUris: redirects, tokenEndpointAuthMethod: "client_secret_basic", subjectType: "pairwise" }
    await problemOf(await adminCall("/clients", { token, method: "POST", body: { ...body, sectorIdentifierUri: await hostDocument(JSON.stringify([redirects[0]])) } }), 400)
    const created = await adminCall("/clients", { token, method: "POST", body: { ...body, sectorIdentifierUri: good } })
    expect(created.status).toBe(201)
    const { client } = await created.json<{ client: { clientId: string; subjectType: string; sectorIdentifierUri: string } }>()
    expect(client).toMatchObject({ subjectType: "pairwise", sectorIdentifierUri: good })
    // A new redirect_uri the stored document does not list: the PATCH re-reads the document and is refused.
    const patch = (changes: Record<string, unknown>, version: number) =>
      adminCall(`/clients/${client.clientId}`, { token, method: "PATCH", headers: { "if-match": `"${version}"` }, body: changes })
    await problemOf(await patch({ redirectUris: [...redirects, "https://c.rp.test/cb"] }, 1), 400)
    const wider = await hostDocument(JSON.stringify([...redirects, "https://c.rp.test/cb"]))
    const updated = await patch({ redirectUris: [...redirects, "https://c.rp.test/cb"], sectorIdentifierUri: wider }, 1)
    expect(updated.status).toBe(200)
    expect((await updated.json<{ client: { sectorIdentifierUri: string; version: number } }>()).client).toMatchObject({ sectorIdentifierUri: wider, version: 2 })
  })
})

describe("Console — the pairwise checkbox and the sector identifier URI field", () => {
  beforeAll(seedConsoleClient)

  const post = (browser: Browser, path: string, fields: Record<string, string | ReadonlyArray<string>>) => {
    const params = new URLSearchParams()
    for (const [name, value] of Object.entries(fields)) for (const v of typeof value === "string" ? [value] : value) params.append(name, v)
    return browser.request(path, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: params.toString() })
  }

  it("creates a pairwise client with a checked document; the edit form shows both; a document missing a redirect_uri is a 400 page", async () => {
    const { browser } = await consoleAdmin(["clients:read", "clients:write"])
    const redirects = ["https://a.rp.test/cb", "https://b.rp.test/cb"]
    const good = await hostDocument(JSON.stringify(redirects))
    const { csrf } = formFields(await (await browser.request("/admin/clients/new")).text(), "/admin/clients/new")
    const fields = {
      csrf: csrf!, clientName: "Console pairwise RP", redirectUris: redirects.join("\n"), grantTypes: ["authorization_code"],
      tokenEndpointAuthMethod: "client_secret_basic", scope: "openid", pairwiseSubjects: "on", sectorIdentifierUri: good
    }
    const created = await post(browser, "/admin/clients/new", fields)
    expect(created.status).toBe(200)
    const clientId = /<dd><code>([^<]+)<\/code><\/dd>/.exec(await created.text())![1]!
    const editHtml = await (await browser.request(`/admin/clients/${clientId}`)).text()
    expect(editHtml).toMatch(/name="pairwiseSubjects"[^>]*checked/)
    expect(editHtml).toContain(good.replace(/\//g, "&#x2F;"))
    const edit = formFields(editHtml, `/admin/clients/${clientId}`)
    const bad = await hostDocument(JSON.stringify([redirects[0]]))
    const refused = await post(browser, `/admin/clients/${clientId}`, { ...fields, csrf: edit["csrf"]!, version: "1", sectorIdentifierUri: bad })
    expect(refused.status).toBe(400)
    expect(await refused.text()).toContain("does not list the redirect_uri")
  })
})
