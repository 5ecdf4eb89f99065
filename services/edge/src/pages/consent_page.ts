/**
 * The consent page: an HTML form whose two buttons are `name="decision"`
 * with values `approve` / `deny`, plus hidden `tx` and `csrf`.
 */
import type { Locale } from "../i18n/locale.ts"
import { t, tHtml } from "../i18n/translate.ts"
import type { MessageKey } from "../i18n/messages_en.ts"
import { htmlResponse } from "../http/html_response.ts"
import { escapeHtml, hiddenInput, layout } from "./html.ts"
import { clientLogo, clientPolicyLinks, type ClientLinks } from "./client_links.ts"

/** What the consent page shows. */
export interface ConsentPageModel {
  readonly tx: string
  readonly csrf: string
  readonly clientName: string
  readonly scopes: ReadonlyArray<string>
  /** The client's logo and privacy/terms links (https only are shown); absent: none. */
  readonly clientLinks?: ClientLinks
}

/** Plain-language meaning of the standard scopes (OIDC Core §5.4). */
const scopeMeaning: Readonly<Record<string, MessageKey>> = {
  openid: "scope.openid",
  profile: "scope.profile",
  email: "scope.email",
  address: "scope.address",
  phone: "scope.phone",
  offline_access: "scope.offline_access"
}

/** One scope in words: the standard ones translated, any other shown by its name. */
export const scopeInWords = (locale: Locale, scope: string): string => {
  const key = scopeMeaning[scope]
  return key === undefined ? scope : t(locale, key)
}

/** Renders the consent page. */
export const consentPage = (locale: Locale, model: ConsentPageModel): Response =>
  htmlResponse(
    layout(
      locale,
      t(locale, "consent.title"),
      clientLogo(model.clientName, model.clientLinks) + `<h1>${tHtml(locale, "consent.heading")}</h1><p>${tHtml(locale, "consent.wouldLike", { client: model.clientName })}</p><ul>` +
        model.scopes.map((s) => `<li>${escapeHtml(scopeInWords(locale, s))}</li>`).join("") +
        `</ul><form method="post" action="/consent">` +
        hiddenInput("tx", model.tx) +
        hiddenInput("csrf", model.csrf) +
        `<button type="submit" name="decision" value="approve">${tHtml(locale, "common.allow")}</button>` +
        `<button type="submit" name="decision" value="deny">${tHtml(locale, "common.deny")}</button></form>` +
        clientPolicyLinks(locale, model.clientName, model.clientLinks)
    )
  )
