/**
 * Looking texts up: `t` for plain text (titles, attribute values, emails' words —
 * the caller escapes where it writes HTML), `tHtml` for an HTML fragment (the
 * catalogue's own markup kept, every parameter escaped).
 */
import { escapeHtml } from "../pages/html.ts"
import type { Locale } from "./locale.ts"
import { messagesEn, type MessageCatalogue, type MessageKey } from "./messages_en.ts"
import { messagesJa } from "./messages_ja.ts"

/** The catalogue of each language. */
export const catalogues: { readonly [L in Locale]: MessageCatalogue } = { en: messagesEn, ja: messagesJa }

/** Parameters of a text: `{name}` is replaced by `params.name`. */
export type MessageParams = Readonly<Record<string, string | number>>

const interpolate = (text: string, params: MessageParams, encode: (value: string) => string) =>
  text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name]
    return value === undefined ? whole : encode(String(value))
  })

/** The text of `key` in `locale`, parameters inserted as they are (plain text). */
export const t = (locale: Locale, key: MessageKey, params: MessageParams = {}): string =>
  interpolate(catalogues[locale][key], params, (value) => value)

/** The text of `key` in `locale` as HTML: the catalogue's markup kept, each parameter escaped. */
export const tHtml = (locale: Locale, key: MessageKey, params: MessageParams = {}): string =>
  interpolate(catalogues[locale][key], params, escapeHtml)
