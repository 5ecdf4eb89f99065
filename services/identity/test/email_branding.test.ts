/**
 * Issue 12 §5: every email carries the branding — the product name as its
 * signature and the support link — in English and Japanese, read from the
 * stored branding (the copy of the writing isolate sees a change at once).
 */
import { env } from "cloudflare:test"
import { Effect } from "effect"
import { beforeEach, describe, expect, it } from "vitest"
import { BrandingCopy, IdentityBrandingCopy, updateBranding } from "../src/branding/branding_store.ts"
import { brandedEmail, brandEmail } from "../src/email/email_branding.ts"
import { magicLinkEmail, securityNoticeEmail } from "../src/email/email_templates.ts"
import { makeHarness } from "./identity_harness.ts"

beforeEach(async () => {
  await env.DB.prepare("UPDATE branding_settings SET product_name = NULL, support_url = NULL, support_email = NULL, version = 0 WHERE id = 'default'").run()
})

const acme = { productName: "Acme ID", supportUrl: "https://help.acme.example/", supportEmail: null }

describe("Emails — product name and support link from the branding", () => {
  it("English: signed with the product name, the support link in text and HTML; the subject and link stay", () => {
    const mail = brandEmail(magicLinkEmail("u@example.com", "https://id.example/login/email/verify?token=t", 15, "en"), "en", acme)
    expect(mail.subject).toBe("Your sign-in link")
    expect(mail.text).toContain("https://id.example/login/email/verify?token=t")
    expect(mail.text).toMatch(/\n-- \n— Acme ID\nNeed help\? https:\/\/help\.acme\.example\/\n$/)
    expect(mail.html).toContain(`<p>— Acme ID</p><p>Need help? <a href="https://help.acme.example/">https://help.acme.example/</a></p></div>`)
  })

  it("Japanese: the same branding in Japanese words", () => {
    const mail = brandEmail(securityNoticeEmail("u@example.com", "password_changed", "ja"), "ja", { ...acme, supportUrl: null, supportEmail: "help@acme.example" })
    expect(mail.text).toContain("Acme ID")
    expect(mail.text).toContain("お問い合わせ: help@acme.example")
    expect(mail.html).toContain(`<a href="mailto:help@acme.example">help@acme.example</a>`)
    expect(mail.html).toMatch(/^<div lang="ja">/)
  })

  it("the product name is escaped in HTML", () => {
    const mail = brandEmail(magicLinkEmail("u@example.com", "https://id.example/x", 15, "en"), "en", { productName: "<b>Acme</b>", supportUrl: null, supportEmail: null })
    expect(mail.html).toContain("— &lt;b&gt;Acme&lt;&#x2F;b&gt;".replace("&#x2F;", "/"))
    expect(mail.html).not.toContain("<b>Acme")
  })

  it("an email made after a branding write carries the new name (default: Authrim)", async () => {
    const h = makeHarness()
    const copy = new BrandingCopy(h.clock.now)
    const withCopy = <A, E, R>(program: Effect.Effect<A, E, R>) => Effect.provideService(program, IdentityBrandingCopy, copy)
    const before = await h.run(withCopy(brandedEmail(magicLinkEmail("u@example.com", "https://id.example/x", 15, "en"), "en")))
    expect(before.text).toContain("— Authrim")
    await h.run(withCopy(updateBranding({ patch: { productName: "Acme ID", supportUrl: "https://help.acme.example/" }, adminUserId: "admin-1" })))
    const after = await h.run(withCopy(brandedEmail(magicLinkEmail("u@example.com", "https://id.example/x", 15, "ja"), "ja")))
    expect(after.text).toContain("Acme ID")
    expect(after.text).toContain("お問い合わせ: https://help.acme.example/")
  })
})
