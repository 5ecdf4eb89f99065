/**
 * The console's live preview (pages/branding_preview.ts): the login page
 * rendered with a DRAFT branding — nothing saved — framable by the issuer
 * only; a bad draft is the same field error a save would be. Also the page
 * pieces on their own: client links render only https URLs, and the branded
 * HTML escapes what the operator typed.
 */
import { defaultBranding, InvalidBranding } from "@authrim/contracts"
import { env } from "cloudflare:workers"
import { Cause, Effect, Exit } from "effect"
import { describe, expect, it } from "vitest"
import { edgeLayer } from "../src/edge_layer.ts"
import { brandHtml, brandingStylesheet } from "../src/pages/branded_page.ts"
import { brandingPreview, renderBrandingPreview } from "../src/pages/branding_preview.ts"
import { loginPage } from "../src/pages/login_page.ts"
import { PAGE_STYLESHEET_HASH } from "../src/pages/page_stylesheet.ts"
import { adminCall, signInAdmin } from "./support/admin_flows.ts"

const draft = { ...defaultBranding, productName: "Draft Co", primaryColor: "#005a9c", termsUrl: "https://draft.example/terms" }

describe("Branding preview — the login page with a draft branding, for the console's iframe", () => {
  it("renders the login page with the draft (name, colour sheet, footer) in the asked language", async () => {
    const response = await Effect.runPromise(renderBrandingPreview(draft, "ja"))
    const html = await response.text()
    expect(html).toContain(`<html lang="ja">`)
    expect(html).toContain("<title>ログイン — Draft Co</title>")
    expect(html).toContain("<span>Draft Co</span>")
    expect(html).toContain("--accent:#005a9c;")
    expect(html).toContain(`>利用規約</a>`)
    expect(html).toContain("<strong>Example app</strong>")
  })

  it("only this response may be framed, and only by the issuer itself; styles stay hashes only", async () => {
    const response = await Effect.runPromise(renderBrandingPreview(draft, "en"))
    const csp = response.headers.get("content-security-policy") ?? ""
    expect(csp).toContain("frame-ancestors 'self'")
    expect(csp).not.toContain("frame-ancestors 'none'")
    expect(response.headers.get("x-frame-options")).toBe("SAMEORIGIN")
    expect(csp).toMatch(new RegExp(`style-src '${PAGE_STYLESHEET_HASH.replace(/[+/]/g, "\\$&")}' 'sha256-[A-Za-z0-9+/]+=*'(;|$)`))
    expect(csp).not.toContain("unsafe-inline")
    // A real page keeps refusing every frame.
    expect(loginPage("en", { tx: "t", csrf: "c", clientName: "A", email: null, error: null }).headers.get("content-security-policy")).toContain("frame-ancestors 'none'")
  })

  it("brandingPreview: a draft over the stored branding, checked like a save, and nothing is written", async () => {
    const { token } = await signInAdmin(["settings:read"])
    const before = await (await adminCall("/branding", { token })).json<{ version: number }>()
    const preview = await Effect.runPromise(brandingPreview({ productName: "Preview Only" }, "en").pipe(Effect.provide(edgeLayer(env))))
    expect(await preview.text()).toContain("<span>Preview Only</span>")
    const refused = await Effect.runPromiseExit(brandingPreview({ primaryColor: "#ffff00" }, "en").pipe(Effect.provide(edgeLayer(env))))
    expect(Exit.isFailure(refused)).toBe(true)
    const error = Exit.isFailure(refused) ? refused.cause.reasons.find(Cause.isFailReason)?.error : undefined
    expect(error).toBeInstanceOf(InvalidBranding)
    expect((error as InvalidBranding).field).toBe("primaryColor")
    const after = await (await adminCall("/branding", { token })).json<{ version: number; branding: { productName: string } }>()
    expect(after.version).toBe(before.version)
    expect(after.branding.productName).not.toBe("Preview Only")
  })
})

describe("Branded page pieces", () => {
  it("a client's non-https links and logo are not rendered", async () => {
    const html = await loginPage("en", {
      tx: "t", csrf: "c", clientName: "Evil RP", email: null, error: null,
      clientLinks: { logoUri: "http://evil.example/logo.png", policyUri: "javascript:alert(1)", tosUri: "data:text/html,x" }
    }).text()
    expect(html).not.toContain("evil.example")
    expect(html).not.toContain("javascript:")
    expect(html).not.toContain("data:text")
    expect(html).not.toContain(`class="client-links"`)
  })

  it("escapes the product name and footer text; no colour sheet without colours", () => {
    const page = `<!doctype html><html lang="en"><head><title>T</title></head><body><main>x</main></body></html>`
    const html = brandHtml(page, { ...defaultBranding, productName: "<script>x</script>", footerText: "\"><img src=x>" }, brandingStylesheet(defaultBranding))
    expect(html).not.toContain("<script>")
    expect(html).not.toContain("<img src=x>")
    expect(html).toContain("<title>T — &lt;script&gt;x&lt;&#x2F;script&gt;</title>")
    expect(brandingStylesheet(defaultBranding)).toBeNull()
  })
})
