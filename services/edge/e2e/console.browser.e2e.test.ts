/**
 * The admin console in a real browser (issue 12 §2): Debian's Chromium through playwright-core
 * against the same `wrangler dev` stack as `npm start`. The seeded admin enrols TOTP on the account
 * page, then signs in to /admin as `authrim-admin` (password + TOTP), creates a client and sees its
 * secret once, edits its redirect URI (the very next /authorize uses the new one and refuses the old),
 * finds a user, disables them (their next sign-in is refused, their refresh token stops working) and
 * reads the matching audit entries; changes the product name on the branding page, sees the preview
 * iframe follow and the login page carry it after saving. Every console page has a label on every control. Writes the
 * README's console screenshots and page weights to docs/screenshots/.
 */
import { mkdirSync, writeFileSync } from "node:fs"
import path from "node:path"
import { gzipSync } from "node:zlib"
import * as oidc from "openid-client"
import type { Browser, BrowserContext, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest"
import { Browser as HttpBrowser } from "./browser.ts"
import { launchChromium, unlabelledControls } from "./chromium.ts"
import { issuer, redirectUri, rpFor } from "./rp.ts"
import { fromBase32, totpForStep } from "../test/support/totp_app.ts"

const admin = { email: "console-admin@e2e.test", password: "console-admin-password-1" }
const target = { email: "console-target@e2e.test", password: "console-target-password-1" }
const screenshots = path.join(import.meta.dirname, "../../../docs/screenshots")

// RFC 6238 codes from the tests' own authenticator app (test/support/totp_app.ts), not from the code under test.
const totp = (base32: string, step: number): Promise<string> => totpForStep(fromBase32(base32), step)

let browser: Browser
let context: BrowserContext
let page: Page
const weights: Record<string, { html: number; gzip: number }> = {}

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true })
  browser = await launchChromium()
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US" })
  page = await context.newPage()
})
afterAll(async () => {
  await browser?.close()
})

const shoot = (name: string) => page.screenshot({ path: path.join(screenshots, `console-${name}.png`), fullPage: true })

/** A console page: no unlabelled control, its bytes (HTML with the inline CSS; gzip) measured. */
const checkPage = async (name: string) => {
  expect(await unlabelledControls(page)).toEqual([])
  const response = await context.request.get(page.url())
  const body = await response.body()
  weights[name] = { html: body.byteLength, gzip: gzipSync(body).byteLength }
}

/** An authorization request of `clientId` for `redirect`, as a bare GET (200: the login page; 400: refused). */
const authorizeStatus = async (clientId: string, redirect: string) => {
  const url = new URL(`${issuer()}/authorize`)
  for (const [k, v] of Object.entries({ response_type: "code", client_id: clientId, redirect_uri: redirect, scope: "openid", state: "s", nonce: "n", code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", code_challenge_method: "S256" })) {
    url.searchParams.set(k, v)
  }
  return (await fetch(url, { redirect: "manual" })).status
}

/** The target user's RP session through openid-client (e2e-basic): an authorization URL and its checks. */
const targetAuthorization = async (config: oidc.Configuration) => {
  const codeVerifier = oidc.randomPKCECodeVerifier()
  const state = oidc.randomState()
  const nonce = oidc.randomNonce()
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri, scope: "openid email offline_access", state, nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: "S256", prompt: "consent"
  })
  return { url, codeVerifier, state, nonce }
}

describe("Admin console — real browser (issue 12 §2)", () => {
  let secretBase32 = ""
  let clientId = ""
  let clientSecret = ""
  let targetId = ""

  it("the admin enrols TOTP on the account page", async () => {
    await page.goto(`${issuer()}/account/totp`)
    await page.getByLabel("Email").fill(admin.email)
    await page.getByLabel("Password").fill(admin.password)
    await page.getByRole("button", { name: "Sign in" }).click()
    await page.waitForURL((url) => url.pathname === "/account/totp")
    await page.getByRole("button", { name: "Set up an authenticator app" }).click()
    secretBase32 = (await page.locator("#totp-secret").innerText()).replace(/\s/g, "")
    await page.getByLabel("Code").fill(await totp(secretBase32, Math.floor(Date.now() / 30_000)))
    await page.getByRole("button", { name: "Turn on" }).click()
    await expect.poll(() => page.locator("main").innerText()).toMatch(/recovery/i)
    await context.clearCookies()
  })

  it("signs in to /admin through /authorize with password and TOTP", async () => {
    await page.goto(`${issuer()}/admin`)
    // /authorize answers with the login page itself.
    expect(await page.locator("h1").innerText()).toBe("Sign in")
    expect(await page.locator("main").innerText()).toContain("Authrim admin console")
    expect(await unlabelledControls(page)).toEqual([])
    await page.getByLabel("Email").fill(admin.email)
    await page.getByLabel("Password").fill(admin.password)
    await page.getByRole("button", { name: "Sign in" }).click()
    await page.waitForURL((url) => url.pathname === "/login/totp")
    // The next step's code: the enrolment spent this step's (replays are refused), ±1 step is accepted.
    await page.getByLabel("Code").fill(await totp(secretBase32, Math.floor(Date.now() / 30_000) + 1))
    await page.getByRole("button", { name: "Verify" }).click()
    await page.waitForURL((url) => url.pathname === "/admin")
    expect(await page.locator("h1").innerText()).toBe("Dashboard")
    const cookies = await context.cookies()
    const session = cookies.find((c) => c.name === "__Host-authrim_console")
    expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: "Strict", path: "/" })
    expect(await page.evaluate(() => document.cookie)).toBe("")
    await checkPage("dashboard")
  })

  it("creates a client and sees its secret once", async () => {
    await page.getByRole("link", { name: "Clients", exact: true }).click()
    await page.getByRole("link", { name: "New client" }).click()
    await checkPage("client-new")
    await page.getByLabel("Name").fill("Console e2e RP")
    await page.getByLabel("Redirect URIs", { exact: true }).fill(`${redirectUri}/console-old`)
    await page.getByRole("button", { name: "Create client" }).click()
    await expect.poll(() => page.locator("h1").innerText()).toBe("Client created")
    clientSecret = await page.locator("#client-secret").innerText()
    expect(clientSecret).toMatch(/^[\w-]{43}$/)
    expect(await page.getByRole("button", { name: "Copy" }).isVisible()).toBe(true)
    clientId = await page.locator("dd code").first().innerText()
    expect(await unlabelledControls(page)).toEqual([])
    await shoot("client-created")
    await page.goto(`${issuer()}/admin/clients`)
    expect(await page.content()).not.toContain(clientSecret)
    await checkPage("clients")
    await shoot("clients")
    await page.goto(`${issuer()}/admin/clients/${encodeURIComponent(clientId)}`)
    expect(await page.content()).not.toContain(clientSecret)
    await checkPage("client-edit")
  })

  it("edits the redirect URI: the very next /authorize uses the new one and refuses the old", async () => {
    expect(await authorizeStatus(clientId, `${redirectUri}/console-old`)).toBe(200)
    await page.getByLabel("Redirect URIs", { exact: true }).fill(`${redirectUri}/console-new`)
    await page.getByRole("button", { name: "Save" }).click()
    await expect.poll(() => page.getByRole("status").innerText()).toBe("Saved.")
    expect(await authorizeStatus(clientId, `${redirectUri}/console-new`)).toBe(200)
    expect(await authorizeStatus(clientId, `${redirectUri}/console-old`)).toBe(400)
  })

  it("finds a user and disables them: their next sign-in is refused and their refresh token stops working", async () => {
    const config = await rpFor("e2e-basic")
    const flow = await targetAuthorization(config)
    const signedIn = await new HttpBrowser(issuer()).authorize(flow.url.toString(), { ...target, decision: "approve" })
    const tokens = await oidc.authorizationCodeGrant(config, signedIn.url, { pkceCodeVerifier: flow.codeVerifier, expectedState: flow.state, expectedNonce: flow.nonce, idTokenExpected: true })
    expect(tokens.refresh_token).toBeTruthy()
    targetId = tokens.claims()!.sub

    await page.getByRole("link", { name: "Users", exact: true }).click()
    await page.getByLabel("Email starts with").fill("console-target@")
    await page.getByRole("button", { name: "Search" }).click()
    await page.getByRole("link", { name: target.email }).waitFor()
    await checkPage("users")
    await shoot("users")
    await page.getByRole("link", { name: target.email }).click()
    await page.waitForURL((url) => url.pathname === `/admin/users/${targetId}`)
    await checkPage("user-detail")
    await shoot("user-detail")
    await page.getByRole("button", { name: "Disable" }).click()
    await expect.poll(() => page.getByRole("status").innerText()).toContain("User disabled")

    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toThrow()
    const again = await targetAuthorization(config)
    // Refused: the login page again (or an error page), never a code; the helper gives up on a form that keeps coming back.
    const refused = await new HttpBrowser(issuer()).authorize(again.url.toString(), { ...target, decision: "approve" }).catch(() => null)
    expect(refused?.url.searchParams.get("code") ?? null).toBeNull()
  })

  it("reads the matching audit entries in the console's audit page", async () => {
    await page.getByRole("link", { name: "Audit log" }).click()
    await page.getByLabel("User ID").fill(targetId)
    await page.getByLabel("Event type").fill("admin.action")
    await vi.waitFor(async () => {
      await page.getByRole("button", { name: "Filter" }).click()
      await page.waitForLoadState()
      expect(await page.locator("tbody").innerText()).toContain("admin.action")
    }, { timeout: 45_000, interval: 500 })
    await page.getByLabel("User ID").fill("")
    await page.getByLabel("Event type").fill("")
    await page.getByRole("button", { name: "Filter" }).click()
    await page.waitForLoadState()
    const all = await page.locator("tbody").innerText()
    expect(all).toContain("client.updated")
    expect(all).toContain("client.created")
    await checkPage("audit")
    await shoot("audit")
  })

  it("roles, signing keys, registration tokens and settings: every control labelled", async () => {
    for (const [name, heading] of [["roles", "Roles"], ["keys", "Signing keys"], ["initial-access-tokens", "Registration tokens"], ["settings", "Settings"]] as const) {
      await page.goto(`${issuer()}/admin/${name}`)
      expect(await page.locator("h1").innerText()).toBe(heading)
      await checkPage(name)
    }
  })

  // console-schema
  it("custom fields, scope mappings, identity providers: every control labelled; a field defined through the UI is on the user page", async () => {
    const field = `e2e_department_${Date.now().toString(36)}`
    await page.goto(`${issuer()}/admin/custom-fields`)
    expect(await page.locator("h1").innerText()).toBe("Custom fields")
    await checkPage("custom-fields")
    await page.getByLabel("Name", { exact: true }).fill(field)
    await page.getByLabel("Type", { exact: true }).selectOption("string")
    await page.getByLabel("Label (English)").fill("Department")
    await page.getByLabel("Label (Japanese)").fill("部署")
    await page.getByLabel("Maximum length (text)").fill("64")
    await page.getByRole("button", { name: "Create field" }).click()
    await expect.poll(() => page.getByRole("status").innerText()).toBe("Saved.")
    await checkPage("custom-field-edit")
    await page.goto(`${issuer()}/admin/custom-fields`)
    expect(await page.locator("tbody").innerText()).toContain(field)
    await shoot("custom-fields")

    await page.goto(`${issuer()}/admin/scope-mappings`)
    expect(await page.locator("h1").innerText()).toBe("Scope mappings")
    await page.getByLabel("Scope", { exact: true }).fill("organization")
    await page.getByLabel("Claim name").fill("department")
    await page.getByLabel("Released from").selectOption(`user_custom_fields:${field}`)
    await page.getByRole("button", { name: "Save mapping" }).click()
    await expect.poll(() => page.getByRole("status").innerText()).toContain("Mapping saved")
    await checkPage("scope-mappings")

    await page.goto(`${issuer()}/admin/identity-providers/new`)
    await checkPage("identity-provider-new")
    await page.getByLabel("ID", { exact: true }).fill("example-idp")
    await page.getByLabel("Display name").fill("Example IdP")
    await page.getByLabel("Client ID at the provider").fill("authrim")
    await page.getByLabel("Client secret").fill("e2e-upstream-secret")
    await page.getByLabel("Issuer").fill("https://idp.example.com")
    // Left disabled: the login page of the other tests keeps its buttons.
    await page.getByLabel("Offer it on the login page at once").uncheck()
    await page.getByRole("button", { name: "Add provider" }).click()
    await expect.poll(() => page.getByRole("status").innerText()).toBe("Provider added.")
    expect(await page.content()).not.toContain("e2e-upstream-secret")
    await checkPage("identity-provider-edit")
    await page.goto(`${issuer()}/admin/identity-providers`)
    expect(await page.locator("tbody").innerText()).toContain("Example IdP")
    await checkPage("identity-providers")
    await shoot("identity-providers")

    await page.goto(`${issuer()}/admin/users/${targetId}`)
    await page.getByLabel(`Department (${field})`).fill("Sales")
    await page.getByRole("button", { name: "Save custom fields" }).click()
    await expect.poll(() => page.getByRole("status").innerText()).toBe("Custom fields saved.")
    expect(await page.getByLabel(`Department (${field})`).inputValue()).toBe("Sales")
    expect(await unlabelledControls(page)).toEqual([])
  })

  // console-branding
  it("branding: the preview follows the form as the admin types, a save reaches the login page; then restored", async () => {
    await page.getByRole("link", { name: "Branding", exact: true }).click()
    expect(await page.locator("h1").innerText()).toBe("Branding")
    await checkPage("branding")
    const name = page.getByLabel("Product name")
    const original = await name.inputValue()
    const preview = page.frameLocator("#branding-preview")
    await name.fill("Console e2e Brand")
    await expect.poll(() => preview.locator("header").innerText(), { timeout: 15_000 }).toContain("Console e2e Brand")
    await shoot("branding")
    await page.getByLabel("Accent colour (light mode)").fill("#ffff00")
    await expect.poll(() => page.locator("#f-primaryColor-live").innerText(), { timeout: 15_000 }).toContain("4.5:1")
    await page.getByLabel("Accent colour (light mode)").fill("")
    await page.getByLabel("Preview language").selectOption("ja")
    await expect.poll(() => preview.locator("html").getAttribute("lang"), { timeout: 15_000 }).toBe("ja")
    await page.getByRole("button", { name: "Save" }).click()
    await expect.poll(() => page.getByRole("status").innerText()).toBe("Saved.")
    const login = await fetch(`${issuer()}/authorize?${new URLSearchParams({ response_type: "code", client_id: clientId, redirect_uri: `${redirectUri}/console-new`, scope: "openid", state: "s", nonce: "n", code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", code_challenge_method: "S256" })}`)
    expect(await login.text()).toContain("Console e2e Brand")
    await page.getByLabel("Product name").fill(original)
    await page.getByRole("button", { name: "Save" }).click()
    await expect.poll(() => page.getByRole("status").innerText()).toBe("Saved.")
  })

  it("in Japanese (Accept-Language ja); the page weights are written", async () => {
    // The dashboard once the trail holds this run's sign-ins and writes (the queue delivers them shortly after).
    await vi.waitFor(async () => {
      await page.goto(`${issuer()}/admin`)
      expect(await page.locator("main").innerText()).toMatch(/\b[1-9]\d* successful sign-ins/)
      expect(await page.locator("main tbody tr").count()).toBeGreaterThan(0)
    }, { timeout: 45_000, interval: 500 })
    await shoot("dashboard")
    const ja = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "ja-JP", storageState: await context.storageState() })
    const jaPage = await ja.newPage()
    await jaPage.goto(`${issuer()}/admin`)
    expect(await jaPage.locator("h1").innerText()).toBe("ダッシュボード")
    expect(await unlabelledControls(jaPage)).toEqual([])
    await jaPage.screenshot({ path: path.join(screenshots, "console-dashboard-ja.png"), fullPage: true })
    await ja.close()
    writeFileSync(path.join(screenshots, "console-page-weights.json"), `${JSON.stringify(weights, null, 2)}\n`)
  })
})
