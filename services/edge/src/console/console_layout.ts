/**
 * The console's page frame: the hosted pages' stylesheet plus the console's
 * (console_stylesheet.ts, both allowed by hash), a skip link, the navigation bar
 * (current page marked with `aria-current`) and the sign-out form, then `<main>`.
 */
import type { Locale } from "../i18n/locale.ts"
import { t, tHtml } from "../i18n/translate.ts"
import { htmlResponse } from "../http/html_response.ts"
import { escapeHtml, hiddenInput } from "../pages/html.ts"
import { PAGE_STYLESHEET } from "../pages/page_stylesheet.ts"
import { consoleNavigation } from "./console_navigation.ts"
import { CONSOLE_STYLESHEET, CONSOLE_STYLESHEET_HASH } from "./console_stylesheet.ts"

/** What every console page knows about its viewer. */
export interface ConsoleFrame {
  readonly locale: Locale
  /** Null on pages shown without a console session (errors, signed out). */
  readonly csrf: string | null
  /** The {@link consoleNavigation} section the page belongs to. */
  readonly section?: string
}

/** The hidden CSRF field of a console form. */
export const csrfInput = (frame: ConsoleFrame): string => (frame.csrf === null ? "" : hiddenInput("csrf", frame.csrf))

const navigationBar = (frame: ConsoleFrame): string =>
  `<header class="bar"><strong>${tHtml(frame.locale, "console.product")}</strong>` +
  (frame.csrf === null ? "" :
    `<nav aria-label="${escapeHtml(t(frame.locale, "console.nav.label"))}"><ul>` +
    consoleNavigation.map((entry) =>
      `<li><a href="${escapeHtml(entry.href)}"${entry.section === frame.section ? ` aria-current="page"` : ""}>${tHtml(frame.locale, entry.label)}</a></li>`
    ).join("") +
    `</ul></nav><form method="post" action="/admin/sign-out">${csrfInput(frame)}<button type="submit">${tHtml(frame.locale, "console.signOut")}</button></form>`) +
  `</header>`

/** Options of a console page. */
export interface ConsolePageOptions {
  readonly status?: number
  /** A nonce-allowed inline script (the copy button of a secret). */
  readonly script?: { readonly nonce: string; readonly source: string }
  readonly headers?: HeadersInit
}

/** A console page: `body` already escaped. */
export const consolePage = (frame: ConsoleFrame, title: string, body: string, options: ConsolePageOptions = {}): Response =>
  htmlResponse(
    `<!doctype html><html lang="${frame.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
      `<meta name="robots" content="noindex"><title>${escapeHtml(title)} · ${escapeHtml(t(frame.locale, "console.product"))}</title>` +
      `<style>${PAGE_STYLESHEET}</style><style>${CONSOLE_STYLESHEET}</style></head>` +
      `<body class="console"><a class="skip" href="#content">${tHtml(frame.locale, "console.skip")}</a>${navigationBar(frame)}` +
      `<main id="content">${body}</main>` +
      (options.script === undefined ? "" : `<script nonce="${escapeHtml(options.script.nonce)}">${options.script.source}</script>`) +
      `</body></html>`,
    {
      status: options.status ?? 200,
      styleHashes: [CONSOLE_STYLESHEET_HASH],
      ...(options.script === undefined ? {} : { scriptNonce: options.script.nonce }),
      ...(options.headers === undefined ? {} : { headers: options.headers })
    }
  )
