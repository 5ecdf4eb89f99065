/**
 * Issue 12 §5 branding through the edge with the real identity service: the
 * admin API (`GET`/`PATCH /branding`, If-Match, field problems, 20 racing
 * writers → one 200), every hosted page kind showing the product name, the
 * logo and the footer links (English and Japanese), the colour sheet allowed
 * by its hash while `style-src` stays hashes only, a client's own logo and
 * policy/terms links on login and consent, and the console's preview renderer.
 */
import { env } from "cloudflare:workers"
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest"
import { PAGE_STYLESHEET_HASH } from "../src/pages/page_stylesheet.ts"
import { adminCall, problemOf, signInAdmin } from "./support/admin_flows.ts"
import { Browser, parseForm } from "./support/browser.ts"
import { REDIRECT_URI, seedClient, seedUser, type SeededUser } from "./support/fixtures.ts"
import { authorizeUrl, submitLoginForm } from "./support/flows.ts"
import { enrolTotp, passwordStep, signInToAccountTotp } from "./support/totp_flows.ts"

interface BrandingDocument { version: number; updatedBy: string | null; branding: Record<string, string | null> }

const ACME = {
  productName: "Acme ID",
  logoUrl: "https://cdn.acme.example/logo.svg",
  primaryColor: "#8a2be2",
  backgroundColor: "#eef2ff",
  supportUrl: "https://help.acme.example/",
  privacyPolicyUrl: "https://acme.example/privacy",
  termsUrl: "https://acme.example/terms",
  footerText: "© 2026 Acme Inc."
}

let admin: { token: string; user: { id: string } }

const readBranding = async () => {
  const response = await adminCall("/branding", { token: admin.token })
  expect(response.status).toBe(200)
  const document = await response.json<BrandingDocument>()
  expect(response.headers.get("etag")).toBe(`"${document.version}"`)
  return document
}

const patchBranding = (body: unknown, version: number | null) =>
  adminCall("/branding", { token: admin.token, method: "PATCH", body, headers: version === null ? {} : { "if-match": `"${version}"` } })

beforeAll(async () => {
  admin = await signInAdmin(["settings:read", "settings:write"])
})

afterAll(async () => {
  // Leave the defaults for whatever runs next against this database.
  const current = await readBranding()
  await patchBranding({ productName: "Authrim", logoUrl: null, primaryColor: null, primaryColorDark: null, backgroundColor: null, supportUrl: null, supportEmail: null, privacyPolicyUrl: null, termsUrl: null, footerText: null }, current.version)
})

describe("Admin API — branding", () => {
  it("GET answers the document with its version as ETag; PATCH with If-Match writes and is audited with the admin", async () => {
    const before = await readBranding()
    const written = await patchBranding(ACME, before.version)
    expect(written.status).toBe(200)
    const document = await written.json<BrandingDocument>()
    expect(document).toMatchObject({ version: before.version + 1, updatedBy: admin.user.id, branding: ACME })
    expect(written.headers.get("etag")).toBe(`"${document.version}"`)
    await vi.waitFor(async () => {
      const row = await env.DB.prepare("SELECT actor_type, metadata FROM audit_log WHERE action = 'admin.action' AND actor_id = ? AND metadata LIKE '%branding.updated%'")
        .bind(admin.user.id).first<{ actor_type: string; metadata: string }>()
      expect(row?.actor_type).toBe("admin")
    }, { timeout: 45_000, interval: 250 })
  })

  it("If-Match missing → 428, stale → 412 with the current ETag; bad values → 400 naming the field; nothing written", async () => {
    const before = await readBranding()
    await problemOf(await patchBranding({ productName: "X" }, null), 428)
    const stale = await patchBranding({ productName: "X" }, before.version + 5)
    await problemOf(stale, 412)
    expect(stale.headers.get("etag")).toBe(`"${before.version}"`)
    const fieldOf = async (body: unknown) => (await problemOf(await patchBranding(body, before.version), 400)).errors?.[0]?.field
    expect(await fieldOf({ primaryColor: "blue" })).toBe("primaryColor")
    expect(await fieldOf({ primaryColor: "#fff59d" })).toBe("primaryColor")
    expect(await fieldOf({ privacyPolicyUrl: "javascript:alert(1)" })).toBe("privacyPolicyUrl")
    expect(await fieldOf({ logoUrl: "http://cdn.acme.example/logo.svg" })).toBe("logoUrl")
    expect(await fieldOf({ productName: "" })).toBe("productName")
    expect(await fieldOf({ productName: 7 })).toBe("productName")
    expect(await fieldOf({ customCss: "body{}" })).toBe("customCss")
    expect((await readBranding()).version).toBe(before.version)
  })

  it("20 admins PATCH the same version at once: exactly one 200, nineteen 412", async () => {
    const before = await readBranding()
    const answers = await Promise.all(Array.from({ length: 20 }, (_, n) => patchBranding({ footerText: `Writer ${n}` }, before.version)))
    expect(answers.filter((r) => r.status === 200)).toHaveLength(1)
    expect(answers.filter((r) => r.status === 412)).toHaveLength(19)
    const after = await readBranding()
    expect(after.version).toBe(before.version + 1)
    await patchBranding({ footerText: ACME.footerText }, after.version)
  })

  it("403 without settings:write", async () => {
    const reader = await signInAdmin(["settings:read"])
    const current = await readBranding()
    const refused = await adminCall("/branding", { token: reader.token, method: "PATCH", body: { productName: "X" }, headers: { "if-match": `"${current.version}"` } })
    await problemOf(refused, 403)
  })
})

/** A browser signed in (password) with a session, and the consent page it met on the way. */
const signedInBrowser = async (user: SeededUser, locale: string) => {
  const client = await seedClient()
  const browser = new Browser()
  const login = await browser.follow(await browser.request(authorizeUrl(client.clientId, { ui_locales: locale }), { headers: { "accept-language": locale } }))
  const consent = await browser.follow(await submitLoginForm(browser, login, user))
  return { browser, consent }
}

/** Every kind of hosted page, by how a browser reaches it. */
const pageKinds: ReadonlyArray<readonly [kind: string, open: (locale: string) => Promise<Response>]> = [
  ["login", async (locale) => new Browser().follow(await new Browser().request(authorizeUrl((await seedClient()).clientId), { headers: { "accept-language": locale } }))],
  ["passkey login", async (locale) => {
    const browser = new Browser()
    const login = await (await browser.follow(await browser.request(authorizeUrl((await seedClient()).clientId), { headers: { "accept-language": locale } }))).text()
    return browser.request(/href="(\/login\/passkey\?[^"]+)"/.exec(login)![1]!.replace(/&amp;/g, "&"), { headers: { "accept-language": locale } })
  }],
  ["email link request", async (locale) => {
    const browser = new Browser()
    const login = await (await browser.follow(await browser.request(authorizeUrl((await seedClient()).clientId), { headers: { "accept-language": locale } }))).text()
    return browser.request(/href="(\/login\/email\?[^"]+)"/.exec(login)![1]!.replace(/&amp;/g, "&"), { headers: { "accept-language": locale } })
  }],
  ["consent", async (locale) => (await signedInBrowser(await seedUser(), locale)).consent],
  ["second factor", async (locale) => {
    const user = await seedUser()
    const enrolling = new Browser()
    await signInToAccountTotp(enrolling, user)
    await enrolTotp(enrolling)
    const browser = new Browser()
    const afterPassword = await passwordStep(browser, (await seedClient()).clientId, user, { ui_locales: locale })
    const location = afterPassword.headers.get("location") ?? ""
    expect(location).toMatch(/^\/login\/totp\?mfa=/)
    // The second-factor page takes its language from Accept-Language (routes/login_totp.ts), not ui_locales.
    return browser.request(location, { headers: { "accept-language": locale } })
  }],
  ["password forgot", (locale) => new Browser().request("/password/forgot", { headers: { "accept-language": locale } })],
  ["password reset (expired link)", (locale) => new Browser().request("/password/reset?token=nope", { headers: { "accept-language": locale } })],
  ["email link (expired)", (locale) => new Browser().request("/login/email/verify?token=nope", { headers: { "accept-language": locale } })],
  ["device", async (locale) => (await signedInBrowser(await seedUser(), locale)).browser.request("/device", { headers: { "accept-language": locale } })],
  ["error", (locale) => new Browser().request("/authorize?client_id=nobody&response_type=code", { headers: { "accept-language": locale } })],
  ["account", async (locale) => {
    const { browser } = await signedInBrowser(await seedUser(), locale)
    return browser.request("/account", { headers: { "accept-language": locale } })
  }],
  ["account profile", async (locale) => (await signedInBrowser(await seedUser(), locale)).browser.request("/account/profile", { headers: { "accept-language": locale } })],
  ["account email", async (locale) => (await signedInBrowser(await seedUser(), locale)).browser.request("/account/email", { headers: { "accept-language": locale } })],
  ["account passkeys", async (locale) => (await signedInBrowser(await seedUser(), locale)).browser.request("/account/passkeys", { headers: { "accept-language": locale } })],
  ["account TOTP / step-up", async (locale) => (await signedInBrowser(await seedUser(), locale)).browser.request("/account/totp", { headers: { "accept-language": locale } })],
  ["account password / step-up", async (locale) => (await signedInBrowser(await seedUser(), locale)).browser.request("/account/password", { headers: { "accept-language": locale } })],
  ["logout", async (locale) => (await signedInBrowser(await seedUser(), locale)).browser.request("/end_session", { headers: { "accept-language": locale } })]
]

describe("Every hosted page carries the branding", () => {
  beforeAll(async () => {
    const current = await readBranding()
    expect((await patchBranding(ACME, current.version)).status).toBe(200)
  })

  const footer = {
    en: ["Help", "Privacy policy", "Terms of service"],
    ja: ["ヘルプ", "プライバシーポリシー", "利用規約"]
  } as const

  for (const locale of ["en", "ja"] as const) {
    it.each(pageKinds)(`%s (${locale}): product name in title and header, logo, footer links, colour sheet allowed by its hash`, async (_kind, open) => {
      const response = await open(locale)
      expect(response.headers.get("content-type")).toContain("text/html")
      const html = await response.text()
      expect(html).toContain(`<html lang="${locale}">`)
      expect(html).toMatch(/<title>[^<]+ — Acme ID<\/title>/)
      expect(html).toContain(`<header class="brand"><img src="https:&#x2F;&#x2F;cdn.acme.example&#x2F;logo.svg" alt=""><span>Acme ID</span></header>`)
      const [help, privacy, terms] = footer[locale]
      expect(html).toContain(`<a href="https:&#x2F;&#x2F;help.acme.example&#x2F;">${help}</a>`)
      expect(html).toContain(`<a href="https:&#x2F;&#x2F;acme.example&#x2F;privacy">${privacy}</a>`)
      expect(html).toContain(`<a href="https:&#x2F;&#x2F;acme.example&#x2F;terms">${terms}</a>`)
      expect(html).toContain("<p>© 2026 Acme Inc.</p></footer></body>")
      // The CSP: style-src is the static sheet's hash and the colour sheet's hash, nothing else.
      const csp = response.headers.get("content-security-policy") ?? ""
      const styleSrc = /style-src ([^;]+)/.exec(csp)![1]!.trim().split(/\s+/)
      expect(styleSrc[0]).toBe(`'${PAGE_STYLESHEET_HASH}'`)
      expect(styleSrc).toHaveLength(2)
      for (const source of styleSrc) expect(source).toMatch(/^'sha256-[A-Za-z0-9+/]+=*'$/)
      const styles = [...html.matchAll(/<style>([^<]*)<\/style>/g)].map((m) => m[1]!)
      expect(styles).toHaveLength(2)
      const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(styles[1]))
      expect(styleSrc[1]).toBe(`'sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}'`)
      expect(styles[1]).toBe("@media not (prefers-color-scheme:dark){:root{--accent:#8a2be2;--bg:#eef2ff;}}")
      expect(csp).not.toContain("unsafe-inline")
      expect(csp).toContain("frame-ancestors 'none'")
      expect(html).not.toMatch(/\sstyle=|<link|@import|url\(/)
    })
  }

  it("the next page after a PATCH shows the change (this isolate keeps the written document)", async () => {
    const current = await readBranding()
    expect((await patchBranding({ productName: "Acme Next" }, current.version)).status).toBe(200)
    expect(await (await new Browser().request("/password/forgot")).text()).toContain("<span>Acme Next</span>")
    const again = await readBranding()
    expect((await patchBranding({ productName: ACME.productName }, again.version)).status).toBe(200)
  })

  it("API answers are never rewritten", async () => {
    const discovery = await new Browser().request("/.well-known/openid-configuration")
    expect(await discovery.text()).not.toContain("Acme ID")
  })
})

describe("A client's own logo and privacy/terms links on login and consent", () => {
  it("shows https links as '<client> — privacy policy / terms of service' on both pages", async () => {
    const created = await env.IDENTITY_ADMIN.createClient({
      client: {
        clientName: "Shop RP",
        redirectUris: [REDIRECT_URI],
        scope: "openid profile email",
        tokenEndpointAuthMethod: "client_secret_basic",
        logoUri: "https://shop.example/logo.png",
        policyUri: "https://shop.example/privacy",
        tosUri: "https://shop.example/tos"
      },
      actorId: "test-setup"
    })
    if (created._tag !== "Success") throw new Error(JSON.stringify(created.error))
    const browser = new Browser()
    const login = await browser.follow(await browser.request(authorizeUrl(created.value.client.clientId)))
    const loginHtml = await login.clone().text()
    expect(login.status, login.headers.get("location") ?? "").toBe(200)
    expect(loginHtml).toContain(`<img class="client-logo" src="https:&#x2F;&#x2F;shop.example&#x2F;logo.png" alt="Shop RP">`)
    expect(loginHtml).toContain(`<a href="https:&#x2F;&#x2F;shop.example&#x2F;privacy" rel="noopener noreferrer">Shop RP — privacy policy</a>`)
    expect(loginHtml).toContain(`<a href="https:&#x2F;&#x2F;shop.example&#x2F;tos" rel="noopener noreferrer">Shop RP — terms of service</a>`)
    const consent = await browser.follow(await submitLoginForm(browser, login, await seedUser()))
    const consentHtml = await consent.text()
    expect(parseForm(consentHtml)?.buttons.map((b) => b.value)).toEqual(["approve", "deny"])
    expect(consentHtml).toContain(`Shop RP — privacy policy</a>`)
    expect(consentHtml).toContain(`Shop RP — terms of service</a>`)
  })

  it("a client without links shows none", async () => {
    const browser = new Browser()
    const html = await (await browser.follow(await browser.request(authorizeUrl((await seedClient()).clientId)))).text()
    expect(html).not.toContain(`class="client-links"`)
    expect(html).not.toContain(`class="client-logo"`)
  })
})
