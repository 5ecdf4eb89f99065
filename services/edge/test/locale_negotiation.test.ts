import { describe, expect, it } from "vitest"
import { acceptLanguageLocale, firstUiLocale, negotiateLocale, pageLocale, uiLocaleOf } from "../src/i18n/negotiate_locale.ts"
import { supportedLocaleOf } from "../src/i18n/locale.ts"

describe("Language negotiation — OIDC Core §3.1.2.1 ui_locales, RFC 9110 §12.5.4 Accept-Language", () => {
  it("ui_locales: space-separated, in order of preference; the first supported one wins", () => {
    expect(firstUiLocale("ja")).toBe("ja")
    expect(firstUiLocale("fr-CA ja-JP en")).toBe("ja")
    expect(firstUiLocale("en-GB ja")).toBe("en")
    expect(firstUiLocale("fr de")).toBeNull()
    expect(firstUiLocale("")).toBeNull()
    expect(firstUiLocale(null)).toBeNull()
    expect(uiLocaleOf("de ja")).toEqual({ uiLocale: "ja" })
    expect(uiLocaleOf("de")).toEqual({})
  })

  it("a tag maps by its primary subtag, case-insensitively; anything else is unsupported", () => {
    expect(supportedLocaleOf("JA-jp")).toBe("ja")
    expect(supportedLocaleOf("en_US")).toBe("en")
    expect(supportedLocaleOf("jav")).toBeNull()
    expect(supportedLocaleOf("*")).toBeNull()
    expect(supportedLocaleOf("")).toBeNull()
  })

  it("Accept-Language: the highest q wins, ties keep header order, q=0 means not this", () => {
    expect(acceptLanguageLocale("ja,en;q=0.8")).toBe("ja")
    expect(acceptLanguageLocale("en;q=0.5, ja;q=0.9")).toBe("ja")
    expect(acceptLanguageLocale("fr, ja;q=0.3, en;q=0.2")).toBe("ja")
    expect(acceptLanguageLocale("en, ja")).toBe("en")
    expect(acceptLanguageLocale("ja;q=0, en;q=0.1")).toBe("en")
    expect(acceptLanguageLocale("ja;q=0")).toBeNull()
    expect(acceptLanguageLocale("*")).toBeNull()
    expect(acceptLanguageLocale("ja;q=abc, en;q=2")).toBeNull()
    expect(acceptLanguageLocale("ja-JP;Q=0.7")).toBe("ja")
  })

  it("ugly headers never throw and fall back to English", () => {
    for (const ugly of [";;;", ",,,", "q=1", "ja;q=", "\u0000ja", "x".repeat(10_000), ";q=0.5,".repeat(500)]) {
      expect(() => negotiateLocale({ acceptLanguage: ugly })).not.toThrow()
    }
    expect(negotiateLocale({ acceptLanguage: "\u0000;q=1" })).toBe("en")
  })

  it("ui_locales beats the account's locale, which beats Accept-Language; unsupported everywhere → English", () => {
    expect(negotiateLocale({ uiLocale: "en", accountLocale: "ja", acceptLanguage: "ja" })).toBe("en")
    expect(negotiateLocale({ uiLocale: "ja", accountLocale: "en-US", acceptLanguage: "en" })).toBe("ja")
    expect(negotiateLocale({ uiLocale: null, accountLocale: "ja-JP", acceptLanguage: "en" })).toBe("ja")
    expect(negotiateLocale({ accountLocale: "fr", acceptLanguage: "ja" })).toBe("ja")
    expect(negotiateLocale({ acceptLanguage: "ja;q=0.9" })).toBe("ja")
    expect(negotiateLocale({ accountLocale: "fr", acceptLanguage: "de" })).toBe("en")
    expect(negotiateLocale({})).toBe("en")
  })

  it("a page takes the request's Accept-Language under what the transaction knows", () => {
    const request = new Request("https://op.test/login", { headers: { "accept-language": "ja" } })
    expect(pageLocale(request)).toBe("ja")
    expect(pageLocale(request, { uiLocale: "en" })).toBe("en")
    expect(pageLocale(new Request("https://op.test/login"))).toBe("en")
  })
})
