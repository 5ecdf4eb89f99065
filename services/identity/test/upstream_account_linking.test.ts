import { env } from "cloudflare:test"
import { beforeAll, describe, expect, it } from "vitest"
import { upsertIdentityProvider } from "../src/upstream/identity_providers.ts"
import { resolveUpstreamUser } from "../src/upstream/upstream_account_linking.ts"
import { makeUpstreamHarness } from "./upstream_harness.ts"

const h = makeUpstreamHarness()
const providerId = `link-${crypto.randomUUID().slice(0, 8)}`
const unique = (label: string) => `${label}-${crypto.randomUUID().slice(0, 8)}`

const localUser = async (email: string, verified: boolean) => {
  const id = crypto.randomUUID()
  await env.DB.prepare("INSERT INTO users (id, email, email_verified, created_at, updated_at) VALUES (?, ?, ?, 0, 0)").bind(id, email, verified ? 1 : 0).run()
  return id
}

const countUsers = async (email: string) =>
  (await env.DB.prepare("SELECT COUNT(*) AS n FROM users WHERE email = ? COLLATE NOCASE").bind(email).first<{ n: number }>())!.n

beforeAll(async () => {
  await h.run(upsertIdentityProvider({ id: providerId, providerType: "oidc", name: "Link test", issuer: "https://up.example", clientId: "c" }))
})

describe("Upstream account linking — link only by verified email", () => {
  it("creates a new user with the upstream's email, and finds it again by the link", async () => {
    const email = `${unique("new")}@up.test`
    const subject = unique("sub")
    const first = await h.run(resolveUpstreamUser(providerId, { subject, email, emailVerified: true, name: "New" }))
    expect(first.resolution).toBe("created")
    const again = await h.run(resolveUpstreamUser(providerId, { subject, email: "changed@up.test", emailVerified: true, name: null }))
    expect(again).toEqual({ userId: first.userId, resolution: "existing_link" })
  })

  it("links to an existing user when both sides have the email verified (case-insensitive)", async () => {
    const email = `${unique("both")}@up.test`
    const userId = await localUser(email, true)
    const result = await h.run(resolveUpstreamUser(providerId, { subject: unique("sub"), email: email.toUpperCase(), emailVerified: true, name: null }))
    expect(result).toEqual({ userId, resolution: "linked_by_verified_email" })
  })

  it("refuses when the upstream email is unverified, and creates no duplicate", async () => {
    const email = `${unique("upunv")}@up.test`
    await localUser(email, true)
    const error = await h.fail(resolveUpstreamUser(providerId, { subject: unique("sub"), email, emailVerified: false, name: null }))
    expect(error).toMatchObject({ _tag: "OAuthError", code: "access_denied" })
    expect(await countUsers(email)).toBe(1)
  })

  it("refuses when the local email is unverified", async () => {
    const email = `${unique("localunv")}@up.test`
    await localUser(email, false)
    const error = await h.fail(resolveUpstreamUser(providerId, { subject: unique("sub"), email, emailVerified: true, name: null }))
    expect(error).toMatchObject({ _tag: "OAuthError", code: "access_denied" })
  })

  it("refuses an account without an email (nothing to create the user with)", async () => {
    const error = await h.fail(resolveUpstreamUser(providerId, { subject: unique("sub"), email: null, emailVerified: false, name: null }))
    expect(error).toMatchObject({ code: "access_denied" })
  })

  it("20 concurrent first sign-ins of one upstream account end as ONE user", async () => {
    const email = `${unique("race")}@up.test`
    const subject = unique("sub")
    const results = await Promise.allSettled(Array.from({ length: 20 }, () =>
      h.run(resolveUpstreamUser(providerId, { subject, email, emailVerified: true, name: null }))))
    const settled = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []))
    expect(settled).toHaveLength(20)
    expect(new Set(settled.map((r) => r.userId)).size).toBe(1)
    expect(settled.filter((r) => r.resolution === "created")).toHaveLength(1)
    expect(await countUsers(email)).toBe(1)
  })
})
