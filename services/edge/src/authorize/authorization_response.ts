/**
 * Sends the outcome of an authorization request back to the RP: `code` or
 * `error`, always with `state` (when the RP sent one) and `iss` (RFC 9207),
 * in the response mode the RP asked for. Errors are rendered from
 * `toWireError`, the one mapping of typed failures to wire codes.
 */
import { toWireError, type EdgeFailure } from "@authrim/contracts"
import { seeOther } from "../http/redirect.ts"
import { formPostPage } from "../pages/form_post_page.ts"
import { errorPage } from "../pages/error_page.ts"
import type { RedirectTarget } from "./pending_authorization.ts"
import { DEFAULT_LOCALE, type Locale } from "../i18n/locale.ts"

/** Delivers `params` (+ state, iss) to the redirect_uri. */
export const respondToClient = (target: RedirectTarget, issuer: string, params: ReadonlyArray<readonly [string, string]>, locale: Locale = DEFAULT_LOCALE): Response => {
  const all: Array<readonly [string, string]> = [...params]
  if (target.state !== null) all.push(["state", target.state])
  all.push(["iss", issuer])
  if (target.responseMode === "form_post") return formPostPage(target.redirectUri, all, locale)
  const url = new URL(target.redirectUri)
  for (const [name, value] of all) url.searchParams.append(name, value)
  return seeOther(url.toString())
}

/**
 * RFC 6749 §4.1.2.1 error response to the redirect_uri. A configuration
 * error is the provider's, not the request's: it is shown as the 503 page (for
 * the operator to see), never handed to the RP as `server_error`.
 */
export const authorizationError = (target: RedirectTarget, issuer: string, failure: EdgeFailure, locale: Locale = DEFAULT_LOCALE): Response => {
  if (failure._tag === "Misconfigured") return errorPage(failure, locale)
  const wire = toWireError(failure)
  return respondToClient(target, issuer, [["error", wire.code], ["error_description", wire.description]], locale)
}
