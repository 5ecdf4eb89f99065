import { describe, expect, it } from "vitest"
import { EMAIL_LOCALES, emailCatalogues, emailLanguageOf } from "../src/email/email_language.ts"
import { emailMessagesEn } from "../src/email/email_messages_en.ts"
import { magicLinkEmail, securityNoticeEmail } from "../src/email/email_templates.ts"

const parameters = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

describe("Email catalogues — every email in every language", () => {
  const englishKeys = Object.keys(emailMessagesEn).sort()

  for (const language of EMAIL_LOCALES) {
    it(`${language}: exactly the English keys, each with the same {parameters}, none empty`, () => {
      const catalogue = emailCatalogues[language]
      const keys = Object.keys(catalogue).sort()
      expect(keys.filter((k) => !englishKeys.includes(k)), "keys only in this language").toEqual([])
      expect(englishKeys.filter((k) => !keys.includes(k)), "keys missing in this language").toEqual([])
      for (const key of englishKeys) {
        const text = catalogue[key as keyof typeof emailMessagesEn]
        expect(text.trim(), key).not.toBe("")
        expect(parameters(text), key).toEqual(parameters(emailMessagesEn[key as keyof typeof emailMessagesEn]))
      }
    })
  }

  it("the language of a request: a supported primary subtag, else English", () => {
    expect(emailLanguageOf("ja")).toBe("ja")
    expect(emailLanguageOf("ja-JP")).toBe("ja")
    expect(emailLanguageOf("en-GB")).toBe("en")
    expect(emailLanguageOf("fr")).toBe("en")
    expect(emailLanguageOf(undefined)).toBe("en")
    expect(emailLanguageOf("<script>")).toBe("en")
  })

  it("a Japanese email is Japanese in subject, text and HTML (lang attribute), with the link on its own line", () => {
    const mail = magicLinkEmail("a@example.test", "https://op.test/login/email/verify?ui_locales=ja&token=x", 15, "ja")
    expect(mail.subject).toBe("ログイン用リンクのお知らせ")
    expect(mail.text).toContain("\n\nhttps://op.test/login/email/verify?ui_locales=ja&token=x\n\n")
    expect(mail.text).toContain("15 分後に無効になります")
    expect(mail.html).toContain(`<div lang="ja">`)
    expect(mail.html).toContain("ui_locales=ja&amp;token=x")
  })

  it("the email-changed notice names the new address, escaped in HTML, in either language", () => {
    const en = securityNoticeEmail("old@example.test", "email_changed", "en", "<new>@example.test")
    expect(en.text).toContain("The email address of your account was changed. The new address is <new>@example.test.")
    expect(en.html).toContain("&lt;new&gt;@example.test")
    const ja = securityNoticeEmail("old@example.test", "email_changed", "ja", "new@example.test")
    expect(ja.subject).toBe("メールアドレスが変更されました")
    expect(ja.text).toContain("新しいメールアドレスは new@example.test です。")
  })
})
