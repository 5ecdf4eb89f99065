/**
 * The admin console (`/admin`, src/console/) through the edge with the real backends:
 * the OIDC sign-in as `authrim-admin` (PKCE S256, state, nonce), the callback's
 * refusals as pages, the session cookie's flags, CSRF, RBAC (403 page), field errors
 * of a 400, a stale version's 412 banner, and a client secret shown once.
 */
import { env } from "cloudflare:workers"
import { beforeAll, describe, expect, it, vi } from "vitest"
import { Browser } from "./support/browser.ts"
import { adminCall, problemOf, signInAdmin } from "./support/admin_flows.ts"
import { consoleAdmin, formFields, seedConsoleClient } from "./support/console_flows.ts"
import { CONSOLE_STYLESHEET, CONSOLE_STYLESHEET_HASH } from "../src/console/console_stylesheet.ts"

beforeAll(seedConsoleClient)

const body = (fields: Record<string, string | ReadonlyArray<string>>) => {
  const params = new URLSearchParams()
  for (const [name, value] of Object.entries(fields)) for (const v of typeof value === "string" ? [value] : value) params.append(name, v)
  return params.toString()
}

const post = (browser: Browser, path: string, fields: Record<string, string | ReadonlyArray<string>>) =>
  browser.request(path, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: body(fields) })

const newClientFields = (csrf: string, extra: Record<string, string | ReadonlyArray<string>> = {}) => ({
  csrf, clientName: "Console RP", redirectUris: "https://rp.test/console-cb", grantTypes: ["authorization_code", "refresh_token"],
  tokenEndpointAuthMethod: "client_secret_basic", scope: "openid profile", ...extra
})

describe("Admin console", () => {
  it("without a console session /admin redirects to /authorize as authrim-admin with PKCE S256, state and nonce", async () => {
    const response = await new Browser().request("/admin/clients?cursor=x")
    expect(response.status).toBe(303)
    const location = new URL(response.headers.get("location")!)
    expect(location.pathname).toBe("/authorize")
    expect(Object.fromEntries(location.searchParams)).toMatchObject({
      response_type: "code", client_id: "authrim-admin", redirect_uri: "https://op.test/admin/callback", scope: "openid admin",
      code_challenge_method: "S256", state: expect.stringMatching(/^[\w-]{43}$/), nonce: expect.stringMatching(/^[\w-]{43}$/),
      code_challenge: expect.stringMatching(/^[\w-]{43}$/)
    })
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith("__Host-authrim_console_tx="))
    expect(cookie).toMatch(/; HttpOnly; Secure; SameSite=Lax; Path=\/; Max-Age=600$/)
    expect(location.searchParams.has("ui_locales")).toBe(false)
    const japanese = await new Browser().request("/admin", { headers: { "accept-language": "ja-JP,ja;q=0.9" } })
    expect(new URL(japanese.headers.get("location")!).searchParams.get("ui_locales")).toBe("ja")
  })

  it("signs an admin in: the access token in an HttpOnly SameSite=Strict cookie, never in the page", async () => {
    const { browser, callback } = await consoleAdmin(["admin:read"])
    expect(callback.status).toBe(200)
    expect(callback.headers.get("refresh")).toBe("0;url=/admin")
    const session = callback.headers.getSetCookie().find((c) => c.startsWith("__Host-authrim_console="))
    expect(session).toMatch(/^__Host-authrim_console=[\w-]+\.[\w-]+\.[\w-]+; HttpOnly; Secure; SameSite=Strict; Path=\/; Max-Age=\d+$/)
    const token = browser.cookies.get("__Host-authrim_console")!
    const dashboard = await browser.request("/admin")
    expect(dashboard.status).toBe(200)
    const html = await dashboard.text()
    expect(html).toContain("Sign-ins per day")
    // Live sessions, counted by the session service (the admin's own session at least).
    expect(Number(/<p>(\d+) sessions are live now/.exec(html)?.[1])).toBeGreaterThanOrEqual(1)
    expect(html).not.toContain(token)
    expect(dashboard.headers.get("content-security-policy")).toContain(`'${CONSOLE_STYLESHEET_HASH}'`)
  })

  it("the console stylesheet's CSP hash is the hash of its text", async () => {
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(CONSOLE_STYLESHEET))
    expect(`sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}`).toBe(CONSOLE_STYLESHEET_HASH)
  })

  it("a callback with a missing or wrong state is an HTML error page, not a 500", async () => {
    const browser = new Browser()
    const missing = await browser.request("/admin/callback?code=abc")
    expect(missing.status).toBe(400)
    expect(missing.headers.get("content-type")).toContain("text/html")
    expect(await missing.text()).toContain("did not start in this browser")
    const started = await browser.request("/admin")
    expect(started.status).toBe(303)
    const wrong = await browser.request("/admin/callback?code=abc&state=not-the-state")
    expect(wrong.status).toBe(400)
    expect(await wrong.text()).toContain("Console sign-in failed")
    const garbage = await new Browser().request("/admin/callback?state=%ff%fe&code=%00")
    expect(garbage.status).toBe(400)
  })

  it("a callback with the right state but a forged code is a page saying the code could not be redeemed", async () => {
    const browser = new Browser()
    const started = await browser.request("/admin")
    const state = new URL(started.headers.get("location")!).searchParams.get("state")!
    const forged = await browser.request(`/admin/callback?code=forged&state=${state}`)
    expect(forged.status).toBe(400)
    expect(await forged.text()).toContain("could not be redeemed")
  })

  it("a user without an admin permission gets a 403 page, not the console", async () => {
    const { browser } = await consoleAdmin([])
    const page = await browser.request("/admin/clients")
    expect(page.status).toBe(403)
    const html = await page.text()
    expect(html).toContain("No access to the console")
    expect(html).not.toContain("New client")
  })

  it("an admin lacking the operation's permission gets a 403 page for that page", async () => {
    const { browser } = await consoleAdmin(["users:read"])
    const page = await browser.request("/admin/clients")
    expect(page.status).toBe(403)
    expect(await page.text()).toContain("Your roles do not allow this.")
  })

  it("a POST without (or with a wrong) CSRF token is refused with a 403 page and changes nothing", async () => {
    const { browser } = await consoleAdmin(["clients:read", "clients:write"])
    const missing = await post(browser, "/admin/clients/new", { clientName: "x", redirectUris: "https://rp.test/cb" })
    expect(missing.status).toBe(403)
    expect(await missing.text()).toContain("Form expired")
    const wrong = await post(browser, "/admin/clients/new", newClientFields("A".repeat(43)))
    expect(wrong.status).toBe(403)
    const list = await (await browser.request("/admin/clients?cursor=console-rp")).text()
    expect(list).not.toContain("Console RP")
  })

  it("a 400 shows the field errors next to the fields, with the admin's input kept", async () => {
    const { browser } = await consoleAdmin(["clients:read", "clients:write"])
    const { csrf } = formFields(await (await browser.request("/admin/clients/new")).text(), "/admin/clients/new")
    const refused = await post(browser, "/admin/clients/new", newClientFields(csrf!, { clientName: "", redirectUris: "https://rp.test/ok", grantTypes: ["password-grant"] }))
    expect(refused.status).toBe(400)
    const html = await refused.text()
    expect(html).toContain("Check the fields marked below.")
    expect(html).toMatch(/id="f-clientName"[^>]*aria-invalid="true"[^>]*aria-describedby="f-clientName-error"/)
    expect(html).toContain(`id="f-clientName-error"`)
    expect(html).toContain("https:&#x2F;&#x2F;rp.test&#x2F;ok")
    expect(html).not.toContain("\"type\":\"urn:authrim")
  })

  it("resource indicators (RFC 8707): one per line, shown again on the edit page; a relative one is refused with the input kept", async () => {
    const { browser } = await consoleAdmin(["clients:read", "clients:write"])
    const { csrf } = formFields(await (await browser.request("/admin/clients/new")).text(), "/admin/clients/new")
    const refused = await post(browser, "/admin/clients/new", newClientFields(csrf!, { resources: "https://notes.example/api\nnotes" }))
    expect(refused.status).toBe(400)
    expect(await refused.text()).toContain("https:&#x2F;&#x2F;notes.example&#x2F;api")
    const created = await post(browser, "/admin/clients/new", newClientFields(csrf!, { resources: "https://notes.example/api\r\nurn:example:calendar\n" }))
    expect(created.status).toBe(200)
    const clientId = /<dd><code>([^<]+)<\/code><\/dd>/.exec(await created.text())![1]!
    const editHtml = await (await browser.request(`/admin/clients/${clientId}`)).text()
    expect(editHtml).toContain("Resource indicators (RFC 8707)")
    expect(editHtml).toContain("https:&#x2F;&#x2F;notes.example&#x2F;api\nurn:example:calendar")
  })

  it("creates a client: the secret is on the creation response only; edit with a stale version → 412 banner", async () => {
    const { browser } = await consoleAdmin(["clients:read", "clients:write"])
    const { csrf } = formFields(await (await browser.request("/admin/clients/new")).text(), "/admin/clients/new")
    const created = await post(browser, "/admin/clients/new", newClientFields(csrf!))
    expect(created.status).toBe(200)
    const createdHtml = await created.text()
    const secret = /id="client-secret"[^>]*>([\w-]{43})</.exec(createdHtml)?.[1]
    expect(secret).toBeDefined()
    expect(createdHtml).toContain("shown only this once")
    const clientId = /<dd><code>([^<]+)<\/code><\/dd>/.exec(createdHtml)![1]!
    expect(created.headers.get("content-security-policy")).toMatch(/script-src 'nonce-[\w-]+'/)

    const edit = await browser.request(`/admin/clients/${clientId}`)
    const editHtml = await edit.text()
    expect(editHtml).not.toContain(secret!)
    expect(await (await browser.request(`/admin/clients?cursor=${clientId.slice(0, -1)}`)).text()).not.toContain(secret!)

    const fields = formFields(editHtml, `/admin/clients/${clientId}`)
    expect(fields["version"]).toBe("1")
    const saved = await post(browser, `/admin/clients/${clientId}`, newClientFields(fields["csrf"]!, { version: "1", redirectUris: "https://rp.test/new-cb" }))
    expect(saved.status).toBe(303)
    expect(saved.headers.get("location")).toBe(`/admin/clients/${clientId}?saved=1`)
    const stale = await post(browser, `/admin/clients/${clientId}`, newClientFields(fields["csrf"]!, { version: "1", clientName: "Stale edit" }))
    expect(stale.status).toBe(412)
    const staleHtml = await stale.text()
    expect(staleHtml).toContain("Someone changed this record after you opened it")
    expect(staleHtml).toContain(`name="version" value="2"`)
    expect(staleHtml).toContain("Stale edit")

    const rotated = await post(browser, `/admin/clients/${clientId}/rotate`, { csrf: fields["csrf"]!, version: "2" })
    expect(rotated.status).toBe(200)
    const newSecret = /id="client-secret"[^>]*>([\w-]{43})</.exec(await rotated.text())?.[1]
    expect(newSecret).toBeDefined()
    expect(newSecret).not.toBe(secret)
    expect(await (await browser.request(`/admin/clients/${clientId}`)).text()).not.toContain(newSecret!)

    const confirm = await browser.request(`/admin/clients/${clientId}/delete`)
    expect(confirm.status).toBe(200)
    const deleted = await post(browser, `/admin/clients/${clientId}/delete`, { csrf: fields["csrf"]!, version: "3" })
    expect(deleted.status).toBe(303)
    expect((await browser.request(`/admin/clients/${clientId}`)).status).toBe(404)
  })

  it("finds a user, disables them, and shows the matching audit entries", async () => {
    const { browser, user: admin } = await consoleAdmin(["admin:read", "admin:write"])
    const { user: target } = await consoleAdmin([])
    const search = await browser.request(`/admin/users?email=${encodeURIComponent(target.email)}`)
    expect(search.status).toBe(200)
    expect(await search.text()).toContain(`href="&#x2F;admin&#x2F;users&#x2F;${target.id}"`)
    const detail = await (await browser.request(`/admin/users/${target.id}`)).text()
    expect(detail).toContain(target.email)
    const { csrf } = formFields(detail, `/admin/users/${target.id}/disable`)
    const disabled = await post(browser, `/admin/users/${target.id}/disable`, { csrf: csrf! })
    expect(disabled.status).toBe(303)
    expect(await (await browser.request(`/admin/users/${target.id}?done=disabled`)).text()).toContain("User disabled")
    // The trail is written through the audit queue: the entry appears shortly after.
    await vi.waitFor(async () => {
      const audit = await (await browser.request(`/admin/audit?userId=${target.id}&type=admin.action`)).text()
      expect(audit).toContain("<code>admin.action</code>")
      expect(audit).toContain(`admin:${admin.id}`)
    }, { timeout: 45_000, interval: 250 })
    // The dashboard counts today's sign-ins from the same trail (the two console sign-ins above at least).
    const today = new Date().toISOString().slice(0, 10)
    await vi.waitFor(async () => {
      const dashboard = await (await browser.request("/admin")).text()
      const count = new RegExp(`<span>${today}</span><span class="track" aria-hidden="true"><span class="fill w\\d+"></span></span><span>(\\d+)</span>`).exec(dashboard)?.[1]
      expect(Number(count)).toBeGreaterThanOrEqual(2)
    }, { timeout: 45_000, interval: 250 })
    const badFilter = await browser.request(`/admin/audit?from=yesterday`)
    expect(badFilter.status).toBe(400)
    expect(await badFilter.text()).toMatch(/id="f-from"[^>]*aria-invalid="true"/)
  })

  it("sign-out needs the CSRF token, clears the cookie and offers RP-initiated logout", async () => {
    const { browser } = await consoleAdmin(["admin:read"])
    const { csrf } = formFields(await (await browser.request("/admin")).text(), "/admin/sign-out")
    expect((await post(browser, "/admin/sign-out", { csrf: "x" })).status).toBe(403)
    const out = await post(browser, "/admin/sign-out", { csrf: csrf! })
    expect(out.status).toBe(200)
    expect(out.headers.getSetCookie()).toContain("__Host-authrim_console=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0")
    expect(await out.text()).toContain("&#x2F;end_session")
    // The offered RP-initiated logout: the SSO session is still there, so Authrim asks to confirm.
    const logout = await browser.request("/end_session?client_id=authrim-admin")
    expect(logout.status).toBe(200)
    expect(await logout.text()).toContain("<form")
    expect((await browser.request("/admin")).status).toBe(303)
  })

  it("unknown console paths are a 404 page; the dashboard is in Japanese for Accept-Language ja", async () => {
    const { browser } = await consoleAdmin(["admin:read"])
    expect((await browser.request("/admin/nothing-here")).status).toBe(404)
    const ja = await browser.request("/admin", { headers: { "accept-language": "ja" } })
    expect(await ja.text()).toContain("日別サインイン数")
  })

  it("GET /admin/api/v1/stats/sign-ins: one entry per UTC day, oldest first; bad days → 400; needs audit:read", async () => {
    const { token } = await signInAdmin(["audit:read"])
    const response = await adminCall("/stats/sign-ins?days=3", { token })
    expect(response.status).toBe(200)
    const { days } = await response.json<{ days: Array<{ day: string; count: number }> }>()
    expect(days).toHaveLength(3)
    // Consecutive UTC days, oldest first.
    for (let i = 1; i < days.length; i++) expect(Date.parse(days[i]!.day) - Date.parse(days[i - 1]!.day)).toBe(86_400_000)
    for (const day of days) expect(day.count).toBeGreaterThanOrEqual(0)
    expect((await problemOf(await adminCall("/stats/sign-ins?days=0", { token }), 400)).errors?.[0]?.field).toBe("days")
    await problemOf(await adminCall("/stats/sign-ins?days=abc&x=1", { token }), 400)
    const { token: other } = await signInAdmin(["clients:read"])
    await problemOf(await adminCall("/stats/sign-ins", { token: other }), 403)
  })

  it("settings: a bad value is shown by its field, a stale version is a 412 banner; an initial access token is shown once", async () => {
    const { browser } = await consoleAdmin(["admin:read", "admin:write"])
    const page = await (await browser.request("/admin/settings")).text()
    const fields = formFields(page, "/admin/settings")
    const version = fields["version"]!
    const base = {
      csrf: fields["csrf"]!, version, sessionLifetimeSeconds: "86400", accessTokenLifetimeSeconds: "3600", idTokenLifetimeSeconds: "3600",
      refreshTokenLifetimeSeconds: "2592000", "passwordPolicy.minLength": "8", "passwordPolicy.maxLength": "256",
      "signInMethods.password": "on", "signInMethods.passkey": "on", "signInMethods.magicLink": "on", "signInMethods.upstream": "on"
    }
    const bad = await post(browser, "/admin/settings", { ...base, accessTokenLifetimeSeconds: "5" })
    expect(bad.status).toBe(400)
    expect(await bad.text()).toMatch(/id="f-accessTokenLifetimeSeconds"[^>]*aria-invalid="true"/)
    const stale = await post(browser, "/admin/settings", { ...base, version: String(Number(version) + 100) })
    expect(stale.status).toBe(412)
    expect(await stale.text()).toContain("Someone changed this record after you opened it")

    const tokens = await (await browser.request("/admin/initial-access-tokens")).text()
    const { csrf } = formFields(tokens, "/admin/initial-access-tokens")
    const created = await post(browser, "/admin/initial-access-tokens", { csrf: csrf!, description: "console test", expiresInSeconds: "600", singleUse: "on" })
    expect(created.status).toBe(201)
    const token = /id="new-token"[^>]*>([^<]+)</.exec(await created.text())?.[1]
    expect(token).toBeDefined()
    const listed = await (await browser.request("/admin/initial-access-tokens")).text()
    expect(listed).toContain("console test")
    expect(listed).not.toContain(token!)
    const tooLong = await post(browser, "/admin/initial-access-tokens", { csrf: csrf!, expiresInSeconds: "99999999" })
    expect(tooLong.status).toBe(400)
    expect(await tooLong.text()).toMatch(/id="f-expiresInSeconds"[^>]*aria-invalid="true"/)
  })

  it("an expired or forged token sends the admin through /authorize again; a role taken away counts on the next click", async () => {
    const { browser, user } = await consoleAdmin(["admin:read"])
    expect((await browser.request("/admin/audit")).status).toBe(200)
    const token = browser.cookies.get("__Host-authrim_console")!
    browser.cookies.set("__Host-authrim_console", `${token.slice(0, -4)}AAAA`)
    const again = await browser.request("/admin/audit?type=x")
    expect(again.status).toBe(303)
    expect(new URL(again.headers.get("location")!).pathname).toBe("/authorize")
    expect(again.headers.getSetCookie()).toContain("__Host-authrim_console=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0")

    const { browser: second, user: other } = await consoleAdmin(["admin:read"])
    expect((await second.request("/admin")).status).toBe(200)
    const roles = await env.IDENTITY_ADMIN.listUserRoles({ userId: other.id })
    if (roles._tag === "Failure") throw new Error("roles")
    for (const role of roles.value.roles) await env.IDENTITY_ADMIN.unassignRole({ userId: other.id, roleId: role.id, actorId: "test-setup" })
    const refused = await second.request("/admin")
    expect(refused.status).toBe(403)
    expect(await refused.text()).toContain("No access to the console")
    expect(user.id).not.toBe(other.id)
  })

  it("ends one session of a user from their page", async () => {
    const { browser } = await consoleAdmin(["users:read", "users:write", "roles:read"])
    const { user: target } = await consoleAdmin([])
    const detail = await (await browser.request(`/admin/users/${target.id}`)).text()
    const action = /action="([^"]*\/sessions\/[^"/]+\/revoke)"/.exec(detail)?.[1]?.replace(/&#x2F;/g, "/")
    expect(action).toBeDefined()
    const ended = await post(browser, action!, formFields(detail, action!))
    expect(ended.status).toBe(303)
    expect(ended.headers.get("location")).toBe(`/admin/users/${target.id}?done=session`)
    const after = await (await browser.request(`/admin/users/${target.id}?done=session`)).text()
    expect(after).toContain("The session has ended.")
    expect(after).toContain("No live sessions.")
  })
})
