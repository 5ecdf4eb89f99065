/**
 * The language of an email: the `locale` the edge passes (the language of the
 * page the request came from), reduced to one this service writes in;
 * anything else — absent, unknown, garbage — is English.
 */
import { emailMessagesEn, type EmailCatalogue, type EmailMessageKey } from "./email_messages_en.ts"
import { emailMessagesJa } from "./email_messages_ja.ts"

/** The languages of the emails. */
export const EMAIL_LOCALES = ["en", "ja"] as const

/** One of {@link EMAIL_LOCALES}. */
export type EmailLanguage = (typeof EMAIL_LOCALES)[number]

/** The catalogue of each language. */
export const emailCatalogues: { readonly [L in EmailLanguage]: EmailCatalogue } = { en: emailMessagesEn, ja: emailMessagesJa }

/** The email language of a BCP 47 tag (`ja-JP` → `ja`), English when unsupported or absent. */
export const emailLanguageOf = (tag: string | undefined): EmailLanguage => {
  const primary = (tag ?? "").trim().toLowerCase().split(/[-_]/)[0]
  return EMAIL_LOCALES.find((l) => l === primary) ?? "en"
}

/** Text `key` in `language`, `{name}` replaced by `params.name` (plain text; the HTML part escapes it). */
export const emailText = (language: EmailLanguage, key: EmailMessageKey, params: Readonly<Record<string, string | number>> = {}): string =>
  emailCatalogues[language][key].replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name]
    return value === undefined ? whole : String(value)
  })
