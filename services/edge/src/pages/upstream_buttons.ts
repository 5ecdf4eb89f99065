/**
 * The "Sign in with …" links of the login page, one per enabled upstream
 * provider (none → nothing, the page is unchanged). Plain links: the start
 * route checks that the browser owns the transaction.
 */
import { escapeHtml } from "./html.ts"

/** A provider as the login page shows it. */
export interface UpstreamButton {
  readonly id: string
  readonly name: string
}

/** HTML of the links for transaction `tx`. */
export const upstreamButtons = (tx: string, providers: ReadonlyArray<UpstreamButton> | undefined): string =>
  providers === undefined || providers.length === 0
    ? ""
    : `<div class="upstream-providers">` +
      providers.map((p) =>
        `<p><a class="upstream-provider" href="/login/upstream?provider=${encodeURIComponent(p.id)}&amp;tx=${encodeURIComponent(tx)}">Sign in with ${escapeHtml(p.name)}</a></p>`
      ).join("") +
      `</div>`
