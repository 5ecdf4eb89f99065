/**
 * A client's own logo and links on the login and consent pages (RFC 7591 §2
 * `logo_uri`, `policy_uri`, `tos_uri`; set by the admin API or dynamic
 * registration): "<client> — privacy policy / terms of service". Only `https:`
 * URLs are rendered; anything else (a stored `http:` or `javascript:` value)
 * is left out, so a client's metadata can never put a script link on our page.
 */
import { isHttpsUrl } from "@authrim/contracts"
import type { Locale } from "../i18n/locale.ts"
import { t } from "../i18n/translate.ts"
import { escapeHtml } from "./html.ts"

/** The client's page links (each absent or null when not registered). */
export interface ClientLinks {
  readonly logoUri?: string | null | undefined
  readonly policyUri?: string | null | undefined
  readonly tosUri?: string | null | undefined
}

const https = (url: string | null | undefined): string | null => (url !== null && url !== undefined && isHttpsUrl(url) ? url : null)

/** The client's logo (above the heading), or nothing. */
export const clientLogo = (clientName: string, links: ClientLinks | undefined): string => {
  const logo = https(links?.logoUri)
  return logo === null ? "" : `<img class="client-logo" src="${escapeHtml(logo)}" alt="${escapeHtml(clientName)}">`
}

/** The client's privacy policy and terms links (below the form), or nothing. */
export const clientPolicyLinks = (locale: Locale, clientName: string, links: ClientLinks | undefined): string => {
  const anchors = ([[https(links?.policyUri), "branding.clientPrivacy"], [https(links?.tosUri), "branding.clientTerms"]] as const)
    .flatMap(([href, key]) => (href === null ? [] : [`<a href="${escapeHtml(href)}" rel="noopener noreferrer">${escapeHtml(t(locale, key, { client: clientName }))}</a>`]))
  return anchors.length === 0 ? "" : `<nav class="client-links" aria-label="${escapeHtml(t(locale, "branding.clientLinks", { client: clientName }))}">${anchors.join("")}</nav>`
}

/** The links of a client record (anything with the three optional fields). */
export const clientLinksOf = (client: ClientLinks): ClientLinks => ({ logoUri: client.logoUri ?? null, policyUri: client.policyUri ?? null, tosUri: client.tosUri ?? null })
