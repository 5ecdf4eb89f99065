/**
 * Which language a page speaks. In order (issue 12 §5):
 * 1. `ui_locales` of the authorization request (OIDC Core §3.1.2.1: space-separated, in
 *    order of preference; the first supported one wins), carried sealed in the transaction;
 * 2. the account's `locale` claim, when the user is known;
 * 3. the browser's `Accept-Language` (RFC 9110 §12.5.4, q-values; q=0 means "not this");
 * 4. English.
 */
import { DEFAULT_LOCALE, supportedLocaleOf, type Locale } from "./locale.ts"

/** Longest header or parameter looked at: language lists are short, and this bounds the work on ugly input. */
const MAX_LIST_LENGTH = 512

/** The first supported language of a `ui_locales` value, or null. */
export const firstUiLocale = (uiLocales: string | null | undefined): Locale | null => {
  if (uiLocales === null || uiLocales === undefined) return null
  for (const tag of uiLocales.slice(0, MAX_LIST_LENGTH).split(" ")) {
    const locale = supportedLocaleOf(tag)
    if (locale !== null) return locale
  }
  return null
}

/** The most preferred supported language of an `Accept-Language` header, or null. Ties keep header order. */
export const acceptLanguageLocale = (header: string | null | undefined): Locale | null => {
  if (header === null || header === undefined) return null
  let best: { readonly locale: Locale; readonly q: number } | null = null
  for (const range of header.slice(0, MAX_LIST_LENGTH).split(",")) {
    const [tag = "", ...parameters] = range.split(";")
    const locale = supportedLocaleOf(tag)
    if (locale === null) continue
    const qParameter = parameters.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith("q="))
    const q = qParameter === undefined ? 1 : Number(qParameter.slice(2))
    if (!Number.isFinite(q) || q <= 0 || q > 1) continue
    if (best === null || q > best.q) best = { locale, q }
  }
  return best?.locale ?? null
}

/** What is known about the language wanted, strongest first. */
export interface LocaleSources {
  /** The transaction's `ui_locales` choice (already reduced to a supported one), if any. */
  readonly uiLocale?: Locale | null | undefined
  /** The signed-in account's `locale` claim (any BCP 47 tag), if known. */
  readonly accountLocale?: string | null | undefined
  /** The request's `Accept-Language` header. */
  readonly acceptLanguage?: string | null | undefined
}

/** The language of a page or email. */
export const negotiateLocale = (sources: LocaleSources): Locale =>
  sources.uiLocale ??
    (sources.accountLocale === null || sources.accountLocale === undefined ? null : supportedLocaleOf(sources.accountLocale)) ??
    acceptLanguageLocale(sources.acceptLanguage) ??
    DEFAULT_LOCALE

/** The language of the page answering `request`: the transaction's and account's choices, then its `Accept-Language`. */
export const pageLocale = (
  request: Request,
  known: { readonly uiLocale?: Locale | null | undefined; readonly accountLocale?: string | null | undefined } | null = null
): Locale => negotiateLocale({ ...known, acceptLanguage: request.headers.get("accept-language") })

/**
 * The account's `locale` claim when the user record carries one. Seam: the users table has no
 * `locale` column yet (profile claims arrive with migration 0015); once `User` has the field,
 * the account pages pick it up here without further change.
 */
export const accountLocaleOf = (user: object | null | undefined): string | null =>
  user !== null && user !== undefined && "locale" in user && typeof user.locale === "string" ? user.locale : null

/** The transaction field of a request's `ui_locales`: present only when one of its languages is supported (keeps sealed `tx` short). */
export const uiLocaleOf = (uiLocales: string | null | undefined): { readonly uiLocale?: Locale } => {
  const uiLocale = firstUiLocale(uiLocales)
  return uiLocale === null ? {} : { uiLocale }
}

/**
 * The language of a page outside an authorization transaction: a `ui_locales` parameter of its URL
 * or form (the links and forms of a flow that started in a language carry it — emailed links too),
 * then `Accept-Language`.
 */
export const requestLocale = (request: Request, params: { get(name: string): string | undefined }): Locale =>
  pageLocale(request, { uiLocale: firstUiLocale(params.get("ui_locales")) })

/** `&ui_locales=…` for a link or form of a page in `locale`: nothing for the default, so English URLs stay as they were. */
export const uiLocalesQuery = (locale: Locale): string => (locale === DEFAULT_LOCALE ? "" : `&ui_locales=${locale}`)

/** `?ui_locales=…` for a URL without a query (emailed links): nothing for the default. */
export const uiLocalesSearch = (locale: Locale): string => (locale === DEFAULT_LOCALE ? "" : `?ui_locales=${locale}`)
