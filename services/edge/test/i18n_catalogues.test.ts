import { describe, expect, it } from "vitest"
import { SUPPORTED_LOCALES } from "../src/i18n/locale.ts"
import { messagesEn } from "../src/i18n/messages_en.ts"
import { catalogues, t, tHtml } from "../src/i18n/translate.ts"

const parameters = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
const markup = (text: string) => [...text.matchAll(/<\/?(\w+)[^>]*>/g)].map((m) => m[0]).sort()

describe("Page catalogues — every text in every language", () => {
  const englishKeys = Object.keys(messagesEn).sort()

  for (const locale of SUPPORTED_LOCALES) {
    it(`${locale}: has exactly the English keys, none empty`, () => {
      const keys = Object.keys(catalogues[locale]).sort()
      expect(keys.filter((k) => !englishKeys.includes(k)), "keys only in this language").toEqual([])
      expect(englishKeys.filter((k) => !keys.includes(k)), "keys missing in this language").toEqual([])
      for (const [key, text] of Object.entries(catalogues[locale])) expect(text.trim(), key).not.toBe("")
    })

    it(`${locale}: every text takes the same {parameters} and markup as the English one`, () => {
      for (const key of englishKeys) {
        const text = catalogues[locale][key as keyof typeof messagesEn]
        expect(parameters(text), key).toEqual(parameters(messagesEn[key as keyof typeof messagesEn]))
        expect(markup(text), key).toEqual(markup(messagesEn[key as keyof typeof messagesEn]))
      }
    })
  }

  it("Japanese texts are Japanese (not English left untranslated), except product names and codes", () => {
    const untranslated = Object.entries(catalogues.ja).filter(([key, text]) => text === messagesEn[key as keyof typeof messagesEn])
    expect(untranslated.map(([key]) => key)).toEqual([])
  })
})

describe("t / tHtml — parameters", () => {
  it("t inserts parameters as given (plain text)", () => {
    expect(t("en", "common.tooManyAttempts", { seconds: 30 })).toBe("Too many attempts. Try again in 30 seconds.")
    expect(t("ja", "common.tooManyAttempts", { seconds: 30 })).toBe("試行回数が多すぎます。30 秒後にもう一度お試しください。")
    expect(t("en", "login.withUpstream", { provider: "<b>" })).toBe("Sign in with <b>")
  })

  it("tHtml keeps the catalogue's markup and escapes every parameter", () => {
    const html = tHtml("en", "login.continueTo", { client: `<script>alert("x")</script>` })
    expect(html).toBe("to continue to <strong>&lt;script&gt;alert(&quot;x&quot;)&lt;&#x2F;script&gt;</strong>")
    expect(tHtml("ja", "consent.wouldLike", { client: "A&B" })).toBe("<strong>A&amp;B</strong> が次の許可を求めています:")
  })

  it("a parameter not given stays visible instead of vanishing", () => {
    expect(t("en", "common.tooManyAttempts")).toContain("{seconds}")
  })
})
