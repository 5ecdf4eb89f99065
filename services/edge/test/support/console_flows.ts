/**
 * Console helpers: the seeded `authrim-admin` client for the test issuer, and a
 * browser signed in to the console through the real OIDC flow (/admin → /authorize →
 * login → /admin/callback → token endpoint), as an admin holding `permissions`.
 */
import { env } from "cloudflare:workers"
import type { Permission } from "@authrim/contracts"
import { expect } from "vitest"
import { Browser, ORIGIN } from "./browser.ts"
import { seedUser, type SeededUser } from "./fixtures.ts"
import { grantRole } from "./admin_flows.ts"
import { submitLoginForm } from "./flows.ts"

/** Registers the console's public client for the test issuer (idempotent), as setup / `npm start` does. */
export const seedConsoleClient = async () => {
  const result = await env.IDENTITY_SEED.upsertClient({
    clientId: "authrim-admin", clientName: "Authrim admin console", clientSecret: null, tokenEndpointAuthMethod: "none",
    redirectUris: [`${ORIGIN}/admin/callback`], grantTypes: ["authorization_code", "refresh_token"], scope: "openid admin", skipConsent: true
  })
  if (result._tag === "Failure") throw new Error(`console client: ${JSON.stringify(result.error)}`)
}

/** Signs `user` in to the console in `browser`; answers the callback's response. */
export const consoleSignIn = async (browser: Browser, user: SeededUser): Promise<Response> => {
  const start = await browser.request("/admin")
  expect(start.status).toBe(303)
  let page = await browser.follow(start)
  if (page.status === 200 && (await page.clone().text()).includes("name=\"password\"")) page = await browser.follow(await submitLoginForm(browser, page, user))
  return page
}

/** A new user holding `permissions` (none: a user without any admin role), signed in to the console. */
export const consoleAdmin = async (permissions: ReadonlyArray<Permission>) => {
  const user = await seedUser()
  if (permissions.length > 0) await grantRole(user.id, permissions)
  const browser = new Browser()
  const callback = await consoleSignIn(browser, user)
  return { user, browser, callback }
}

/** The hidden `csrf` (and other fields) of the form posting to `action` on `html`. */
export const formFields = (html: string, action: string): Record<string, string> => {
  const escaped = action.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\//g, "(?:/|&#x2F;)")
  const form = new RegExp(`<form\\b[^>]*action="${escaped}"[^>]*>([\\s\\S]*?)</form>`, "i").exec(html)
  if (form === null) throw new Error(`no form posting to ${action}`)
  const fields: Record<string, string> = {}
  for (const input of form[1]!.matchAll(/<input\b[^>]*type="hidden"[^>]*>/gi)) {
    const name = /name="([^"]*)"/.exec(input[0])?.[1]
    const value = /value="([^"]*)"/.exec(input[0])?.[1]
    if (name !== undefined) fields[name] = (value ?? "").replace(/&#x2F;/g, "/").replace(/&amp;/g, "&")
  }
  return fields
}
