/**
 * The browser-facing error page: used when the edge cannot (or must not)
 * redirect back to the RP — unknown client, unregistered redirect_uri, an
 * expired or forged login/consent transaction. Status and code come from
 * `toWireError`, the one mapping of typed failures to wire errors. The page's
 * words follow the language; the error's description stays as the wire gives
 * it (English, like the OAuth JSON errors), next to its code.
 */
import { OAuthError, toWireError, type EdgeFailure, type PasskeyRejected, type WireError } from "@authrim/contracts"
import { passkeyRejectedText } from "../i18n/backend_reason_texts.ts"
import { Effect } from "effect"
import { DEFAULT_LOCALE, type Locale } from "../i18n/locale.ts"
import { pageLocale } from "../i18n/negotiate_locale.ts"
import { t, tHtml } from "../i18n/translate.ts"
import { htmlResponse } from "../http/html_response.ts"
import { escapeHtml, layout } from "./html.ts"

/**
 * Renders a wire error as a page. `message`: the error in the page's language
 * (a refusal the edge knows how to say, backend_reason_texts.ts), shown
 * instead of the English wire description.
 */
export const wireErrorPage = (wire: WireError, locale: Locale = DEFAULT_LOCALE, message?: string): Response =>
  htmlResponse(
    layout(
      locale,
      t(locale, "error.title"),
      `<h1>${tHtml(locale, "error.heading")}</h1><p class="error" role="alert">${escapeHtml(message ?? wire.description)}</p>` +
        `<p>${tHtml(locale, "error.code")} <code>${escapeHtml(wire.code)}</code></p>` +
        `<p>${tHtml(locale, "error.startAgain")}</p>`
    ),
    { status: wire.status }
  )

/** A rejected passkey ceremony as a page (400 `invalid_request`), its reason in the page's language. */
export const passkeyRejectedPage = (locale: Locale, rejected: PasskeyRejected): Response =>
  wireErrorPage(toWireError(new OAuthError({ code: "invalid_request", description: rejected.description })), locale, passkeyRejectedText(locale, rejected))

/** Renders any typed failure as a page. */
export const errorPage = (failure: EdgeFailure, locale: Locale = DEFAULT_LOCALE): Response => wireErrorPage(toWireError(failure), locale)

/**
 * The last step of a page route (`Effect.fnUntraced(function*(request, …) {…}, orErrorPage)`): any
 * failure becomes the error page, its words in the language of `request` (Accept-Language).
 */
export const orErrorPage = <A, E extends EdgeFailure, R>(effect: Effect.Effect<A, E, R>, request: Request): Effect.Effect<A | Response, never, R> =>
  effect.pipe(Effect.catch((failure) => Effect.succeed(errorPage(failure, pageLocale(request)))))
