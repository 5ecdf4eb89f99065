/**
 * The console's schema pages (console-schema): custom field definitions, scope mappings,
 * identity providers, and a user's custom values on their page — through the edge with the
 * real backends, each page over the admin operations (400 by field, 412 banner, CSRF).
 */
import { beforeAll, describe, expect, it } from "vitest"
import type { Browser } from "./support/browser.ts"
import { consoleAdmin, formFields, seedConsoleClient } from "./support/console_flows.ts"

beforeAll(seedConsoleClient)

const body = (fields: Record<string, string | ReadonlyArray<string>>) => {
  const params = new URLSearchParams()
  for (const [name, value] of Object.entries(fields)) for (const v of typeof value === "string" ? [value] : value) params.append(name, v)
  return params.toString()
}

const post = (browser: Browser, path: string, fields: Record<string, string | ReadonlyArray<string>>) =>
  browser.request(path, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: body(fields) })

const unique = () => `f${crypto.randomUUID().replace(/-/g, "").slice(0, 10)}`

describe("Console — custom fields", () => {
  it("defines a field (rules of its type only), refuses bad input by field, edits with If-Match, deletes after a confirmation", async () => {
    const { browser } = await consoleAdmin(["schema:read", "schema:write"])
    const list = await browser.request("/admin/custom-fields")
    expect(list.status).toBe(200)
    const listHtml = await list.text()
    expect(listHtml).toContain(`aria-current="page"`)
    const { csrf } = formFields(listHtml, "/admin/custom-fields")

    const bad = await post(browser, "/admin/custom-fields", { csrf: csrf!, name: "Bad Name", type: "string", "labels.en": "", "labels.ja": "x" })
    expect(bad.status).toBe(400)
    const badHtml = await bad.text()
    expect(badHtml).toMatch(/id="f-name"[^>]*aria-invalid="true"/)
    expect(badHtml).toContain("Bad Name")

    const name = unique()
    const created = await post(browser, "/admin/custom-fields", {
      csrf: csrf!, name, type: "enum", "labels.en": "Plan", "labels.ja": "プラン", "validation.enumValues": "free\npro\n\n", "validation.maxLength": "12", userEditable: "on"
    })
    expect(created.status).toBe(303)
    expect(created.headers.get("location")).toBe(`/admin/custom-fields/${name}?saved=1`)
    const edit = await (await browser.request(`/admin/custom-fields/${name}`)).text()
    expect(edit).toContain("free\npro</textarea>")
    expect(edit).not.toContain("validation.maxLength")
    const fields = formFields(edit, `/admin/custom-fields/${name}`)
    expect(fields["version"]).toBe("1")

    const badRule = await post(browser, `/admin/custom-fields/${name}`, { ...fields, "labels.en": "Plan", "labels.ja": "プラン", "validation.enumValues": "" })
    expect(badRule.status).toBe(400)
    const saved = await post(browser, `/admin/custom-fields/${name}`, { ...fields, "labels.en": "Plan tier", "labels.ja": "プラン", "validation.enumValues": "free\npro\nteam" })
    expect(saved.status).toBe(303)
    const stale = await post(browser, `/admin/custom-fields/${name}`, { ...fields, "labels.en": "Stale", "labels.ja": "プラン", "validation.enumValues": "free" })
    expect(stale.status).toBe(412)
    const staleHtml = await stale.text()
    expect(staleHtml).toContain("Someone changed this record after you opened it")
    expect(staleHtml).toContain(`name="version" value="2"`)
    expect(await (await browser.request("/admin/custom-fields")).text()).toContain("Plan tier")

    const ja = await (await browser.request("/admin/custom-fields", { headers: { "accept-language": "ja" } })).text()
    expect(ja).toContain("カスタム項目")

    const confirm = await (await browser.request(`/admin/custom-fields/${name}/delete`)).text()
    expect(confirm).toContain("every scope mapping releasing it")
    const deleteFields = formFields(confirm, `/admin/custom-fields/${name}/delete`)
    const noCsrf = await post(browser, `/admin/custom-fields/${name}/delete`, { version: deleteFields["version"]! })
    expect(noCsrf.status).toBe(403)
    const deleted = await post(browser, `/admin/custom-fields/${name}/delete`, deleteFields)
    expect(deleted.status).toBe(303)
    expect((await browser.request(`/admin/custom-fields/${name}`)).status).toBe(404)
  })

  it("needs schema permissions", async () => {
    const { browser } = await consoleAdmin(["users:read"])
    expect((await browser.request("/admin/custom-fields")).status).toBe(403)
  })
})

describe("Console — scope mappings", () => {
  it("adds a mapping from the pickers (a users column, a defined custom field), groups by scope, refuses protected names by field, deletes", async () => {
    const { browser } = await consoleAdmin(["schema:read", "schema:write"])
    const name = unique()
    const listHtml = await (await browser.request("/admin/custom-fields")).text()
    const { csrf } = formFields(listHtml, "/admin/custom-fields")
    expect((await post(browser, "/admin/custom-fields", { csrf: csrf!, name, type: "string", "labels.en": "Team", "labels.ja": "チーム" })).status).toBe(303)

    const page = await (await browser.request("/admin/scope-mappings")).text()
    expect(page).toContain(`value="users:nickname"`)
    expect(page).toContain(`value="user_custom_fields:${name}"`)
    expect(page).not.toContain(`value="users:password_hash"`)
    const scope = `s${name}`
    const added = await post(browser, "/admin/scope-mappings", { csrf: csrf!, scope, claimName: "team", source: `user_custom_fields:${name}` })
    expect(added.status).toBe(303)
    const second = await post(browser, "/admin/scope-mappings", { csrf: csrf!, scope, claimName: "nick", source: "users:nickname" })
    expect(second.status).toBe(303)
    const after = await (await browser.request("/admin/scope-mappings?done=saved")).text()
    expect(after).toContain(`<code>${scope}</code></h2>`)
    expect(after).toContain(`Custom field ${name}`)
    expect(after).toContain("Mapping saved")

    const protectedClaim = await post(browser, "/admin/scope-mappings", { csrf: csrf!, scope, claimName: "sub", source: "users:email" })
    expect(protectedClaim.status).toBe(400)
    expect(await protectedClaim.text()).toMatch(/id="f-claimName"[^>]*aria-invalid="true"/)
    const badSource = await post(browser, "/admin/scope-mappings", { csrf: csrf!, scope, claimName: "x", source: "users:password_hash" })
    expect(badSource.status).toBe(400)
    expect(await badSource.text()).toMatch(/id="f-source"[^>]*aria-invalid="true"/)
    const noScope = await post(browser, "/admin/scope-mappings", { csrf: csrf!, scope: "", claimName: "x", source: "users:email" })
    expect(noScope.status).toBe(400)

    const deleted = await post(browser, `/admin/scope-mappings/${scope}/nick/delete`, { csrf: csrf! })
    expect(deleted.status).toBe(303)
    const final = await (await browser.request("/admin/scope-mappings")).text()
    expect(final).not.toContain(`action="&#x2F;admin&#x2F;scope-mappings&#x2F;${scope}&#x2F;nick&#x2F;delete"`)
    expect(final).toContain(`action="&#x2F;admin&#x2F;scope-mappings&#x2F;${scope}&#x2F;team&#x2F;delete"`)
    expect((await post(browser, `/admin/scope-mappings/${scope}/nick/delete`, { csrf: csrf! })).status).toBe(404)
  })
})

describe("Console — identity providers", () => {
  it("adds a provider (the secret never shown back), edits with If-Match keeping the secret when blank, disables / enables, deletes after a confirmation", async () => {
    const { browser } = await consoleAdmin(["providers:read", "providers:write"])
    const newHtml = await (await browser.request("/admin/identity-providers/new")).text()
    const { csrf } = formFields(newHtml, "/admin/identity-providers/new")
    const id = `idp-${unique()}`
    const secret = `secret-${crypto.randomUUID()}`
    const base = { csrf: csrf!, id, providerType: "oidc", name: "Example IdP", clientId: "authrim-at-example", scopes: "openid email", issuer: "https://idp.example.test" }

    const bad = await post(browser, "/admin/identity-providers/new", { ...base, issuer: "http://idp.example.test", clientSecret: secret })
    expect(bad.status).toBe(400)
    const badHtml = await bad.text()
    expect(badHtml).toMatch(/id="f-issuer"[^>]*aria-invalid="true"/)
    expect(badHtml).not.toContain(secret)

    const created = await post(browser, "/admin/identity-providers/new", { ...base, clientSecret: secret, enabled: "on" })
    expect(created.status).toBe(303)
    expect(created.headers.get("location")).toBe(`/admin/identity-providers/${id}?done=created`)
    const edit = await (await browser.request(`/admin/identity-providers/${id}`)).text()
    expect(edit).not.toContain(secret)
    expect(edit).toContain("A secret is stored")
    expect(edit).toMatch(/id="f-clientSecret"[^>]*type="password"[^>]*value=""/)
    const fields = formFields(edit, `/admin/identity-providers/${id}`)
    expect(fields["version"]).toBe("1")

    const saved = await post(browser, `/admin/identity-providers/${id}`, { ...fields, name: "Example IdP renamed", clientId: "authrim-at-example", scopes: "openid", issuer: "https://idp.example.test", clientSecret: "" })
    expect(saved.status).toBe(303)
    const afterSave = await (await browser.request(`/admin/identity-providers/${id}`)).text()
    expect(afterSave).toContain("Example IdP renamed")
    expect(afterSave).toContain("A secret is stored")
    const stale = await post(browser, `/admin/identity-providers/${id}`, { ...fields, name: "Stale", clientId: "x", issuer: "https://idp.example.test" })
    expect(stale.status).toBe(412)
    expect(await stale.text()).toContain("Someone changed this record after you opened it")

    const disabled = await post(browser, `/admin/identity-providers/${id}/disable`, { csrf: csrf! })
    expect(disabled.status).toBe(303)
    const list = await (await browser.request("/admin/identity-providers")).text()
    expect(list).toContain("Example IdP renamed")
    expect(list).toMatch(new RegExp(`<code>${id}</code></td><td>OpenID Connect</td><td>disabled</td>`))
    expect((await post(browser, `/admin/identity-providers/${id}/enable`, { csrf: csrf! })).status).toBe(303)

    const ja = await (await browser.request(`/admin/identity-providers/${id}`, { headers: { "accept-language": "ja" } })).text()
    expect(ja).toContain("クライアントシークレット")

    const confirm = await (await browser.request(`/admin/identity-providers/${id}/delete`)).text()
    expect(confirm).toContain("link to it is deleted too")
    const deleted = await post(browser, `/admin/identity-providers/${id}/delete`, formFields(confirm, `/admin/identity-providers/${id}/delete`))
    expect(deleted.status).toBe(303)
    expect((await browser.request(`/admin/identity-providers/${id}`)).status).toBe(404)
  })
})

describe("Console — a user's custom field values", () => {
  it("edits them on the user page: a control per type, a bad value refused next to its field, blank clears", async () => {
    const { browser } = await consoleAdmin(["schema:read", "schema:write", "users:read", "users:write"])
    const { user: target } = await consoleAdmin([])
    const { csrf } = formFields(await (await browser.request("/admin/custom-fields")).text(), "/admin/custom-fields")
    const count = unique()
    const tier = unique()
    expect((await post(browser, "/admin/custom-fields", { csrf: csrf!, name: count, type: "number", "labels.en": "Seats", "labels.ja": "席数", "validation.min": "1", "validation.max": "10" })).status).toBe(303)
    expect((await post(browser, "/admin/custom-fields", { csrf: csrf!, name: tier, type: "enum", "labels.en": "Tier", "labels.ja": "ティア", "validation.enumValues": "gold\nsilver" })).status).toBe(303)

    const href = `/admin/users/${target.id}`
    const page = await (await browser.request(href)).text()
    expect(page).toContain(`<label for="cf-${count}">Seats (${count})</label>`)
    expect(page).toMatch(new RegExp(`<select id="cf-${tier}" name="values.${tier}"[^>]*><option value="" selected>\\(no value\\)</option><option value="gold">`))
    const bad = await post(browser, `${href}/custom-fields`, { csrf: csrf!, [`values.${count}`]: "99", [`values.${tier}`]: "gold" })
    expect(bad.status).toBe(400)
    const badHtml = await bad.text()
    expect(badHtml).toMatch(new RegExp(`id="cf-${count}"[^>]*aria-invalid="true"`))
    expect(badHtml).toContain(`value="99"`)
    const saved = await post(browser, `${href}/custom-fields`, { csrf: csrf!, [`values.${count}`]: "3", [`values.${tier}`]: "gold" })
    expect(saved.status).toBe(303)
    expect(saved.headers.get("location")).toBe(`${href}?done=customFields`)
    const after = await (await browser.request(`${href}?done=customFields`)).text()
    expect(after).toContain("Custom fields saved.")
    expect(after).toMatch(new RegExp(`id="cf-${count}"[^>]*value="3"`))
    expect(after).toContain(`<option value="gold" selected>`)
    expect((await post(browser, `${href}/custom-fields`, { csrf: csrf!, [`values.${count}`]: "", [`values.${tier}`]: "gold" })).status).toBe(303)
    expect(await (await browser.request(href)).text()).toMatch(new RegExp(`id="cf-${count}"[^>]*value=""`))

    // An admin who may not read the definitions sees the page without the section.
    const { browser: reader } = await consoleAdmin(["users:read"])
    const plain = await (await reader.request(href)).text()
    expect(plain).toContain(target.email)
    expect(plain).not.toContain(`cf-${count}`)
  })
})
