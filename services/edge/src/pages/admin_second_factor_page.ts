/**
 * The page an administrator sees when setting `mfaRequiredForAdmins` refuses
 * their sign-in (authorize/admin_second_factor.ts): 403, in the page's
 * language, saying what to do — set up an authenticator app (`enrol`: a link
 * to the account page's TOTP set-up) or sign in with the second factor they
 * have — and a link back to the application carrying the RFC 6749 §4.1.2.1
 * `access_denied` answer (state, iss), so the RP's request ends properly.
 * The RP gets the same answer by `prompt=none` (as `interaction_required`).
 */
import { escapeHtml, layout } from "./html.ts"
import { htmlResponse } from "../http/html_response.ts"
import type { Locale } from "../i18n/locale.ts"
import { t, tHtml } from "../i18n/translate.ts"

/** What the page asks of the administrator. */
export type AdminSecondFactorAdvice = "enrol" | "useStrong"

/** The refusal page; `backTo` the RP's `access_denied` URL (null for `form_post`, which a link cannot carry). */
export const adminSecondFactorPage = (locale: Locale, advice: AdminSecondFactorAdvice, backTo: string | null): Response =>
  htmlResponse(
    layout(
      locale,
      t(locale, "adminMfa.title"),
      `<h1>${tHtml(locale, "adminMfa.heading")}</h1>` +
        `<p class="error" role="alert">${tHtml(locale, advice === "enrol" ? "adminMfa.enrol" : "adminMfa.useStrong")}</p>` +
        (advice === "enrol" ? `<p><a href="/account/totp">${tHtml(locale, "adminMfa.setUp")}</a></p>` : "") +
        (backTo === null ? "" : `<p><a href="${escapeHtml(backTo)}">${tHtml(locale, "adminMfa.back")}</a></p>`)
    ),
    { status: 403 }
  )
