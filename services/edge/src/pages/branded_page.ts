/**
 * Branding on every hosted page (issue 12 §5). Pages are rendered by `layout`
 * (html.ts) without knowing the branding; the dispatcher (index.ts) passes
 * every HTML answer of a page route through {@link brandPageResponse}, so no
 * page — login, consent, account, device, logout, password, email link,
 * second factor, error — can miss it. Into the layout's fixed landmarks it
 * puts: the product name after the page title (`<title>Sign in — Acme</title>`),
 * a header with the logo and the name at the top of `<main>`, and a footer
 * under the card with the support / privacy / terms links and the footer text.
 *
 * Colours: the one static stylesheet (page_stylesheet.ts) reads CSS custom
 * properties (`--accent`, `--bg`); a branding with colours adds a second
 * `<style>` that only sets them, built here from `#rrggbb` values the contract
 * already checked (no other character can reach it), and the page's CSP
 * allows exactly that text by its SHA-256 next to the static sheet's hash.
 * `style-src` stays a list of hashes: no `'unsafe-inline'`, no `style=`
 * attribute, no external stylesheet (test/branding_pages.test.ts).
 */
import { isHttpsUrl, Unavailable, type Branding } from "@authrim/contracts"
import { sha256Bytes } from "@authrim/platform"
import { Effect } from "effect"
import { DEFAULT_LOCALE, supportedLocaleOf, type Locale } from "../i18n/locale.ts"
import { t } from "../i18n/translate.ts"
import { escapeHtml } from "./html.ts"

const HEX_COLOUR = /^#[0-9a-f]{6}$/i
const colour = (value: string | null): string | null => (value !== null && HEX_COLOUR.test(value) ? value : null)

/** The branding's colour overrides as CSS, or null when it sets none (then the page is exactly the static design). */
export const brandingStylesheet = (branding: Branding): string | null => {
  const primary = colour(branding.primaryColor)
  const background = colour(branding.backgroundColor)
  const dark = colour(branding.primaryColorDark)
  const light = [primary === null ? "" : `--accent:${primary};`, background === null ? "" : `--bg:${background};`].join("")
  const css = (light === "" ? "" : `@media not (prefers-color-scheme:dark){:root{${light}}}`) +
    (dark === null ? "" : `@media(prefers-color-scheme:dark){:root{--accent:${dark}}}`)
  return css === "" ? null : css
}

/** `'sha256-…'` CSP sources already computed (a handful of branding versions per isolate lifetime). */
const hashes = new Map<string, string>()

/** The CSP source (`sha256-…`, standard base64 as CSP wants) allowing exactly `css`. */
export const styleHash = Effect.fnUntraced(function*(css: string) {
  const known = hashes.get(css)
  if (known !== undefined) return known
  const bytes = yield* sha256Bytes(css)
  const source = `sha256-${btoa(String.fromCharCode(...bytes))}`
  if (hashes.size > 16) hashes.clear()
  hashes.set(css, source)
  return source
})

/** An `https:` URL as a link, or an `/avatars/` path of this issuer for a logo; anything else is not rendered. */
const safeHref = (url: string | null): string | null => (url !== null && isHttpsUrl(url) ? url : null)
const safeLogo = (url: string | null): string | null => (url !== null && (isHttpsUrl(url) || /^\/avatars\/[A-Za-z0-9._-]+$/.test(url)) ? url : null)

/** The header at the top of the card: logo (decorative: the name is next to it) and product name. */
const brandHeader = (branding: Branding): string => {
  const logo = safeLogo(branding.logoUrl)
  return `<header class="brand">${logo === null ? "" : `<img src="${escapeHtml(logo)}" alt="">`}<span>${escapeHtml(branding.productName)}</span></header>`
}

/** The footer under the card: support, privacy and terms links and the footer text; empty when the branding has none. */
export const brandFooter = (locale: Locale, branding: Branding): string => {
  const support = safeHref(branding.supportUrl) ?? (branding.supportEmail === null ? null : `mailto:${branding.supportEmail}`)
  const links = ([[support, "branding.support"], [safeHref(branding.privacyPolicyUrl), "branding.privacy"], [safeHref(branding.termsUrl), "branding.terms"]] as const)
    .flatMap(([href, key]) => (href === null ? [] : [`<a href="${escapeHtml(href)}">${escapeHtml(t(locale, key))}</a>`]))
  const text = branding.footerText === null ? "" : `<p>${escapeHtml(branding.footerText)}</p>`
  if (links.length === 0 && text === "") return ""
  return `<footer>${links.length === 0 ? "" : `<nav aria-label="${escapeHtml(t(locale, "branding.footerLinks"))}">${links.join("")}</nav>`}${text}</footer>`
}

/** The page language `layout` wrote (`<html lang="ja">`). */
const pageLocaleOf = (html: string): Locale => supportedLocaleOf(/^<!doctype html><html lang="([^"]+)"/i.exec(html)?.[1] ?? "") ?? DEFAULT_LOCALE

/**
 * `html` (a page made by `layout`) with `branding`: product name after the
 * title, the header at the top of `<main>`, the footer after it, and `style`
 * (the colour sheet, already allowed by the CSP) after the static sheet.
 * A document without the layout's landmarks, or already branded, is returned unchanged.
 */
export const brandHtml = (html: string, branding: Branding, style: string | null): string => {
  // Already branded (the console's preview of a draft, console_branding_page.ts): kept as it is.
  if (html.includes(`<header class="brand">`)) return html
  const titleEnd = html.indexOf("</title>")
  const headEnd = html.indexOf("</head>")
  const mainStart = html.indexOf("<main>")
  const mainEnd = html.lastIndexOf("</main>")
  if (titleEnd < 0 || headEnd < titleEnd || mainStart < headEnd || mainEnd < mainStart) return html
  const name = escapeHtml(branding.productName)
  return html.slice(0, titleEnd) + ` — ${name}` +
    html.slice(titleEnd, headEnd) + (style === null ? "" : `<style>${style}</style>`) +
    html.slice(headEnd, mainStart + 6) + brandHeader(branding) +
    html.slice(mainStart + 6, mainEnd + 7) + brandFooter(pageLocaleOf(html), branding) +
    html.slice(mainEnd + 7)
}

/** `csp` with `source` added to its `style-src` (which stays a list of hashes). */
export const withStyleSource = (csp: string, source: string): string =>
  csp.replace(/(^|;\s*)style-src ([^;]*)/, (_whole, lead: string, sources: string) => `${lead}style-src ${sources} '${source}'`)

/**
 * A page route's answer with the branding: HTML answers are rewritten
 * (status, cookies and every other header kept; the CSP gains the colour
 * sheet's hash); anything else (redirects, images, JSON) passes unchanged.
 */
export const brandPageResponse = Effect.fnUntraced(function*(response: Response, branding: Branding) {
  if (!(response.headers.get("content-type") ?? "").startsWith("text/html") || response.body === null) return response
  const html = yield* Effect.tryPromise({
    try: () => response.clone().text(),
    catch: (cause) => new Unavailable({ service: "edge", reason: `page body: ${cause instanceof Error ? cause.message : String(cause)}` })
  }).pipe(Effect.catch(() => Effect.succeed(null)))
  // An unreadable body (never for our own pages) is served as it is rather than failing the page.
  if (html === null) return response
  const style = brandingStylesheet(branding)
  const headers = new Headers(response.headers)
  if (style !== null) {
    const csp = headers.get("content-security-policy")
    if (csp === null) return response
    headers.set("content-security-policy", withStyleSource(csp, yield* styleHash(style)))
  }
  return new Response(brandHtml(html, branding, style), { status: response.status, statusText: response.statusText, headers })
})
