/**
 * Issue 12 §5: the login page shows only the enabled sign-in methods, read
 * through the edge's one settings copy (authorize/sign_in_settings.ts). The
 * copy is held for its TTL (isolate memory, no call while fresh), never goes
 * back to an older version, and falls back to the last copy when identity
 * cannot answer. The pages with settings flipped through identity:
 * test/system_settings_flow.test.ts.
 */
import { defaultSettingsDocument, type SettingsDocument } from "@authrim/contracts"
import { env } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import { EdgeSettingsCopy, edgeSettingsCopyFor } from "../src/authorize/sign_in_settings.ts"
import { loginPage } from "../src/pages/login_page.ts"
import type { ServiceEnv } from "../src/env.ts"
import worker from "../src/index.ts"
import { Browser } from "./support/browser.ts"
import { seedClient } from "./support/fixtures.ts"
import { authorizeUrl } from "./support/flows.ts"

const version = (n: number, password: boolean): SettingsDocument => {
  const base = defaultSettingsDocument("development")
  return { ...base, version: n, settings: { ...base.settings, signInMethods: { ...base.settings.signInMethods, password } } }
}

describe("the edge's settings copy", () => {
  it("is fresh for its TTL, then asks again; an older version never replaces a newer one", () => {
    let now = 1_000
    const copy = new EdgeSettingsCopy(30_000, () => now)
    expect(copy.fresh()).toBeUndefined()
    copy.keep(version(2, false))
    now += 29_999
    expect(copy.fresh()?.version).toBe(2)
    now += 1
    expect(copy.fresh()).toBeUndefined()
    expect(copy.lastKnown()?.version).toBe(2)
    copy.keep(version(1, true))
    expect(copy.fresh()?.version).toBe(2)
  })

  it("takes its TTL from EDGE_SETTINGS_TTL_MS (default 30 s; garbage → the default; 0 → no copy)", () => {
    const freshAfter = (value: string | undefined, elapsed: number) => {
      let now = 0
      const copy = edgeSettingsCopyFor({ EDGE_SETTINGS_TTL_MS: value }, () => now)
      copy.keep(version(1, true))
      now += elapsed
      return copy.fresh() !== undefined
    }
    expect(freshAfter(undefined, 29_999)).toBe(true)
    expect(freshAfter(undefined, 30_000)).toBe(false)
    expect(freshAfter("soon", 29_999)).toBe(true)
    expect(freshAfter("-5", 29_999)).toBe(true)
    expect(freshAfter("0", 0)).toBe(false)
    expect(freshAfter("5000", 4_999)).toBe(true)
  })

  it("a login page served from fresh copies makes two identity calls fewer than one without (settings and branding, one each)", async () => {
    const client = await seedClient()
    const callsOf = (response: Response) => (JSON.parse(response.headers.get("x-authrim-cost") ?? "{}") as { serviceCalls?: number }).serviceCalls ?? 0
    const secondPage = async (isolate: ServiceEnv) => {
      const browser = new Browser((request) => worker.fetch(request as Parameters<typeof worker.fetch>[0], isolate))
      expect((await browser.request(authorizeUrl(client.clientId))).status).toBe(200)
      const page = await browser.request(authorizeUrl(client.clientId))
      expect(await page.clone().text()).toContain(`type="password"`)
      return callsOf(page)
    }
    const withCopy = await secondPage({ ...env, EDGE_SETTINGS_TTL_MS: undefined } as ServiceEnv)
    const withoutCopy = await secondPage({ ...env, EDGE_SETTINGS_TTL_MS: "0" } as ServiceEnv)
    // EDGE_SETTINGS_TTL_MS governs both isolate copies: the settings (sign-in methods) and the branding (pages/page_branding.ts).
    expect(withoutCopy - withCopy).toBe(2)
  })
})

describe("login page — methods", () => {
  const model = { tx: "t", csrf: "c", clientName: "App", email: null, error: null, upstreamProviders: [{ id: "gh", name: "GitHub" }] }
  it("with every method off (or upstream on without providers) it says so, in the page's language", async () => {
    const off = { password: false, passkey: false, magicLink: false, upstream: true }
    const en = await loginPage("en", { ...model, upstreamProviders: [], methods: off }).text()
    expect(en).toContain("No way to sign in is available right now")
    expect(en).not.toContain("<form")
    const ja = await loginPage("ja", { ...model, upstreamProviders: [], methods: off }).text()
    expect(ja).toContain("現在利用できるログイン方法がありません")
    const upstreamOnly = await loginPage("en", { ...model, methods: off }).text()
    expect(upstreamOnly).toContain("/login/upstream?provider=gh")
    expect(upstreamOnly).not.toContain("No way to sign in")
  })
})
