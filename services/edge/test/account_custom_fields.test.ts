/**
 * Issue 12 §4: custom fields on `/account/profile` — the user sees the
 * fields an admin made editable (labels in the page's language), edits them
 * (checked against the definition, the error next to the field in English or
 * Japanese), and cannot change a field that is not user-editable even by
 * forging the form. Definitions are global, so each test removes its own.
 */
import { env } from "cloudflare:workers"
import { afterEach, describe, expect, it } from "vitest"
import { Browser } from "./support/browser.ts"
import { seedUser, type SeededUser } from "./support/fixtures.ts"
import { submitLoginForm } from "./support/flows.ts"

const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? ""
const fieldName = (prefix: string) => `${prefix}_${crypto.randomUUID().replaceAll("-", "").slice(0, 8)}`
const created: Array<string> = []

const define = async (definition: Parameters<typeof env.IDENTITY_ADMIN.createCustomFieldDefinition>[0]["definition"]) => {
  const result = await env.IDENTITY_ADMIN.createCustomFieldDefinition({ definition, actorId: "account-test" })
  if (result._tag !== "Success") throw new Error(JSON.stringify(result.error))
  created.push(definition.name)
}

afterEach(async () => {
  for (const name of created.splice(0)) {
    const current = await env.IDENTITY_ADMIN.getCustomFieldDefinition({ name })
    if (current._tag === "Success") await env.IDENTITY_ADMIN.deleteCustomFieldDefinition({ name, expectedVersion: current.value.version, actorId: "account-test" })
  }
})

const signedIn = async (user: SeededUser) => {
  const browser = new Browser()
  const back = await submitLoginForm(browser, await browser.follow(await browser.request("/account")), user)
  const html = await (await browser.follow(back)).text()
  return { browser, csrf: csrfOf(html) }
}

const valuesOf = async (userId: string) => {
  const result = await env.IDENTITY.getUserCustomFields({ userId })
  if (result._tag !== "Success") throw new Error(JSON.stringify(result.error))
  return result.value.values
}

const postIn = (browser: Browser, language: string, fields: Record<string, string>) =>
  browser.request("/account/profile", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "accept-language": language },
    body: new URLSearchParams(fields).toString()
  })

describe("Account page — custom fields (issue 12 §4)", () => {
  it("shows only editable fields with the label in the page's language; saves an edit; clears with empty", async () => {
    const [team, badge] = [fieldName("team"), fieldName("badge")]
    await define({ name: team, type: "enum", validation: { enumValues: ["red", "blue"] }, labels: { en: "Team colour", ja: "チームの色" }, userEditable: true })
    await define({ name: badge, type: "string", labels: { en: "Badge number", ja: "社員番号" } })
    const user = await seedUser()
    const { browser, csrf } = await signedIn(user)

    const english = await (await browser.request("/account/profile", { headers: { "accept-language": "en" } })).text()
    expect(english).toContain(`<label for="custom-${team}">Team colour</label>`)
    expect(english).toContain(`name="custom.${team}"`)
    expect(english).not.toContain(badge)
    const japanese = await (await browser.request("/account/profile", { headers: { "accept-language": "ja" } })).text()
    expect(japanese).toContain("チームの色")
    expect(japanese).toContain("その他の情報")

    const saved = await browser.post("/account/profile", { csrf, [`custom.${team}`]: "blue" })
    expect(saved.status).toBe(303)
    expect(await valuesOf(user.id)).toEqual({ [team]: "blue" })
    expect(await (await browser.request("/account/profile")).text()).toContain(`<option value="blue" selected>`)
    expect((await browser.post("/account/profile", { csrf, [`custom.${team}`]: "" })).status).toBe(303)
    expect(await valuesOf(user.id)).toEqual({})
    // An emptied standard claim is cleared too (a browser sends the emptied input as `name=`).
    expect((await browser.post("/account/profile", { csrf, given_name: "Kenji" })).status).toBe(303)
    expect((await browser.post("/account/profile", { csrf, given_name: "" })).status).toBe(303)
    const profile = await env.IDENTITY.getUserProfile({ userId: user.id })
    expect(profile._tag === "Success" && profile.value.given_name).toBeNull()
  })

  it("a bad value: 400 with the error next to the field, in English and in Japanese; nothing written", async () => {
    const level = fieldName("level")
    await define({ name: level, type: "number", validation: { min: 1, max: 5 }, labels: { en: "Level", ja: "レベル" }, userEditable: true })
    const user = await seedUser()
    const { browser, csrf } = await signedIn(user)
    const en = await postIn(browser, "en", { csrf, [`custom.${level}`]: "9", given_name: "Kenji" })
    expect(en.status).toBe(400)
    const enHtml = await en.text()
    expect(enHtml).toContain(`aria-describedby="custom-${level}-error"`)
    expect(enHtml).toMatch(new RegExp(`id="custom-${level}-error" role="alert">Enter 5 or less.`))
    expect(enHtml).toContain(`value="9"`)
    const ja = await postIn(browser, "ja", { csrf, [`custom.${level}`]: "many" })
    expect(ja.status).toBe(400)
    expect(await ja.text()).toContain("数値を入力してください。")
    expect(await valuesOf(user.id)).toEqual({})
    // The standard claims were not written either (the custom fields are checked first).
    const profile = await env.IDENTITY.getUserProfile({ userId: user.id })
    expect(profile._tag === "Success" && profile.value.given_name).toBeNull()
  })

  it("a forged field that is not user-editable is refused (and stays as the admin set it)", async () => {
    const badge = fieldName("badge")
    await define({ name: badge, type: "string", labels: { en: "Badge number", ja: "社員番号" } })
    const user = await seedUser()
    await env.IDENTITY_ADMIN.updateUserCustomFields({ userId: user.id, values: { [badge]: "A-1" }, editor: { kind: "admin", adminUserId: "account-test" } })
    const { browser, csrf } = await signedIn(user)
    const refused = await postIn(browser, "en", { csrf, [`custom.${badge}`]: "Z-9" })
    expect(refused.status).toBe(400)
    expect(await refused.text()).toContain("This information can only be changed by an administrator.")
    const refusedJa = await postIn(browser, "ja", { csrf, [`custom.${badge}`]: "Z-9" })
    expect(await refusedJa.text()).toContain("この情報は管理者のみが変更できます。")
    expect(await valuesOf(user.id)).toEqual({ [badge]: "A-1" })
  })
})
