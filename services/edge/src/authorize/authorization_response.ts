/**
 * Sends the outcome of an authorization request back to the RP: `code` or
 * `error`, always with `state` (when the RP sent one) and `iss` (RFC 9207),
 * in the response mode the RP asked for. Errors are rendered from
 * `toWireError`, the one mapping of typed failures to wire codes.
 *
 * JARM (`query.jwt`, `form_post.jwt`; `jwt` is `query.jwt` for the code
 * flow): the same parameters become the claims of ONE signed JWT — with `iss`,
 * `aud` (the client) and a 10-minute `exp` — delivered as the single
 * `response` parameter. The tokens service signs it (keys kind
 * `authorization_response`); when it cannot, the browser gets the error page:
 * an unsigned response is never sent in a JWT mode.
 */
import { toWireError, type EdgeFailure } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import { seeOther } from "../http/redirect.ts"
import { formPostPage } from "../pages/form_post_page.ts"
import { errorPage } from "../pages/error_page.ts"
import { isJwtResponseMode, type RedirectTarget } from "./pending_authorization.ts"
import { DEFAULT_LOCALE, type Locale } from "../i18n/locale.ts"

type Params = ReadonlyArray<readonly [string, string]>

/** `params` to the redirect_uri: a form post page or a 303 with them in the query. */
const deliver = (target: RedirectTarget, params: Params, locale: Locale): Response => {
  if (target.responseMode === "form_post" || target.responseMode === "form_post.jwt") return formPostPage(target.redirectUri, params, locale)
  const url = new URL(target.redirectUri)
  for (const [name, value] of params) url.searchParams.append(name, value)
  return seeOther(url.toString())
}

/** The response parameters: `params` with `state` when the RP sent one. */
const withState = (target: RedirectTarget, params: Params): Params => target.state === null ? params : [...params, ["state", target.state]]

/** The JARM `response` JWT of `params` (state included; `iss` is the JWT's own claim). */
export const signedResponse = (target: RedirectTarget, issuer: string, params: Params): Effect.Effect<string, EdgeFailure, Edge> =>
  Edge.use(({ backends }) => backends.signedResponses.signAuthorizationResponse({
    issuer, clientId: target.clientId, params: Object.fromEntries(withState(target, params))
  })).pipe(Effect.map(({ jwt }) => jwt))

/** Delivers `params` (+ state, iss) to the redirect_uri; in a JWT mode, signed as one `response`. */
export const respondToClient = (target: RedirectTarget, issuer: string, params: Params, locale: Locale = DEFAULT_LOCALE): Effect.Effect<Response, never, Edge> => {
  if (!isJwtResponseMode(target.responseMode)) return Effect.succeed(deliver(target, [...withState(target, params), ["iss", issuer]], locale))
  return signedResponse(target, issuer, params).pipe(
    Effect.map((jwt) => deliver(target, [["response", jwt]], locale)),
    Effect.catch((failure) => Effect.succeed(errorPage(failure, locale)))
  )
}

/**
 * RFC 6749 §4.1.2.1 error response to the redirect_uri. A configuration
 * error is the provider's, not the request's: it is shown as the 503 page (for
 * the operator to see), never handed to the RP as `server_error`.
 */
export const authorizationError = (target: RedirectTarget, issuer: string, failure: EdgeFailure, locale: Locale = DEFAULT_LOCALE): Effect.Effect<Response, never, Edge> => {
  if (failure._tag === "Misconfigured") return Effect.succeed(errorPage(failure, locale))
  const wire = toWireError(failure)
  return respondToClient(target, issuer, [["error", wire.code], ["error_description", wire.description]], locale)
}
