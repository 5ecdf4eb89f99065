/**
 * Every HTML response goes through here so none misses the frame-busting and
 * hardening headers (DESIGN §4). Pages are never cached: most carry a CSRF
 * token or a pending request, and an error page must not be replayed.
 */

import { PAGE_STYLESHEET_HASH } from "../pages/page_stylesheet.ts"

/**
 * The Content-Security-Policy of a page. Styles: only the shared stylesheet,
 * by its hash (no `'unsafe-inline'`, no style attributes). `form-action` is left open on purpose:
 * browsers apply it to the redirect that follows a form post, and after login
 * or consent that redirect goes to the RP's registered redirect_uri.
 */
const contentSecurityPolicy = (scriptNonce: string | undefined, styleHashes: ReadonlyArray<string>, frameSources: ReadonlyArray<string>) =>
  [
    "default-src 'none'",
    `style-src ${[PAGE_STYLESHEET_HASH, ...styleHashes].map((hash) => `'${hash}'`).join(" ")}`,
    "img-src 'self' data: https:",
    scriptNonce === undefined ? "script-src 'none'" : `script-src 'nonce-${scriptNonce}'`,
    "base-uri 'none'",
    "frame-ancestors 'none'",
    ...(frameSources.length === 0 ? [] : [`frame-src ${frameSources.join(" ")}`])
  ].join("; ")

/** Options of {@link htmlResponse}. */
export interface HtmlOptions {
  readonly status?: number
  /** Nonce of the one inline script the page may run (form_post auto-submit). */
  readonly scriptNonce?: string
  readonly headers?: HeadersInit
  /** Hashes (`sha256-…`) of further inline stylesheets the page carries (the console's, console/console_stylesheet.ts). */
  readonly styleHashes?: ReadonlyArray<string>
  /** Origins the page may frame (`frame-src`; the front-channel logout page's RPs). Absent: none (default-src 'none'). */
  readonly frameSources?: ReadonlyArray<string>
}

/** An HTML response with the security headers. */
export const htmlResponse = (html: string, options: HtmlOptions = {}): Response => {
  const headers = new Headers(options.headers)
  headers.set("content-type", "text/html; charset=utf-8")
  headers.set("content-security-policy", contentSecurityPolicy(options.scriptNonce, options.styleHashes ?? [], options.frameSources ?? []))
  headers.set("x-frame-options", "DENY")
  headers.set("referrer-policy", "no-referrer")
  headers.set("x-content-type-options", "nosniff")
  headers.set("cache-control", "no-store")
  headers.set("pragma", "no-cache")
  return new Response(html, { status: options.status ?? 200, headers })
}
