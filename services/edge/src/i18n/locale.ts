/**
 * The languages of the hosted pages. A BCP 47 tag maps to one of them by its
 * primary subtag (`ja-JP` → `ja`, `en-GB` → `en`); anything else is not
 * supported. English is the default: existing RPs and tests see the pages
 * they always saw.
 */

/** Every language the pages and emails are written in, in the order discovery lists them. */
export const SUPPORTED_LOCALES = ["en", "ja"] as const

/** One supported language. */
export type Locale = (typeof SUPPORTED_LOCALES)[number]

/** The language used when nothing better is known. */
export const DEFAULT_LOCALE: Locale = "en"

/** The supported language of a BCP 47 tag, or null (`*`, unknown languages, garbage). */
export const supportedLocaleOf = (tag: string): Locale | null => {
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0] ?? ""
  return SUPPORTED_LOCALES.find((locale) => locale === primary) ?? null
}
