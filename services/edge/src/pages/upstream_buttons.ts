/**
 * The "Sign in with …" links of the login page, one per enabled upstream
 * provider (none → nothing, the page is unchanged). Plain links: the start
 * route checks that the browser owns the transaction.
 */
import type { Locale } from "../i18n/locale.ts"
import { tHtml } from "../i18n/translate.ts"

/** A provider as the login page shows it. */
export interface UpstreamButton {
  readonly id: string
  readonly name: string
}

/** HTML of the links for transaction `tx`. */
export const upstreamButtons = (locale: Locale, tx: string, providers: ReadonlyArray<UpstreamButton> | undefined): string =>
  providers === undefined || providers.length === 0
    ? ""
    : `<div class="upstream-providers">` +
      providers.map((p) =>
        `<p><a class="upstream-provider" href="/login/upstream?provider=${encodeURIComponent(p.id)}&amp;tx=${encodeURIComponent(tx)}">` +
        `${tHtml(locale, "login.withUpstream", { provider: p.name })}</a></p>`
      ).join("") +
      `</div>`
