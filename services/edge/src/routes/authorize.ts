/**
 * `GET|POST /authorize` (RFC 6749 §4.1.1, OIDC Core §3.1.2). Two phases:
 * until the client and redirect_uri are known good every error is an HTML
 * page; after that every error goes back to the redirect_uri.
 */
import { Effect } from "effect"
import { authorizationError } from "../authorize/authorization_response.ts"
import { continueAuthorization } from "../authorize/continue_authorization.ts"
import { idTokenHintSubject } from "../authorize/check_id_token_hint.ts"
import { pairwiseOption } from "../token_endpoint/issue_options.ts"
import { browserCsrfToken } from "../authorize/csrf.ts"
import { currentSession } from "../authorize/current_session.ts"
import { expandRequestObject, hasRequestObject, withoutRequestObject } from "../authorize/request_object_parameter.ts"
import { resolveRedirectTarget } from "../authorize/resolve_redirect_target.ts"
import { validateAuthorizationRequest } from "../authorize/validate_authorization_request.ts"
import type { RouteContext } from "../route_context.ts"
import { readFormFields } from "../http/form_body.ts"
import { orErrorPage } from "../pages/error_page.ts"
import { checkParRequirement } from "../par/check_par_requirement.ts"
import { loadPushedRequest } from "../par/load_pushed_request.ts"
import { dereferenceRequestUri, hasRequestUri, withoutRequestUri } from "../request_uri/resolve_request_uri.ts"
import { pageLocale, uiLocaleOf } from "../i18n/negotiate_locale.ts"

/** Handles an authorization request. */
export const authorize = Effect.fnUntraced(function*(request: Request, ctx: RouteContext) {
  const received = request.method === "POST" ? yield* readFormFields(request) : new URL(request.url).searchParams
  // RFC 9126 §4: a PAR request_uri replaces the query with the pushed request (consumed once).
  const pushed = yield* loadPushedRequest(received)
  const outer = pushed ?? received
  // RFC 9101 §5.2: a request_uri the client hosts is fetched (once) and becomes a `request` by value.
  const referenced = pushed === null && hasRequestUri(outer) ? yield* Effect.result(dereferenceRequestUri(outer)) : null
  const withObject = referenced === null ? outer : referenced._tag === "Success" ? referenced.success : withoutRequestUri(outer)
  // RFC 9101 §6.3: a verified request object replaces the query; a refused one (or a refused reference) is
  // reported to the redirect_uri of the outer query, once that client and redirect_uri check out.
  const expanded = referenced?._tag !== "Failure" && hasRequestObject(withObject) ? yield* Effect.result(expandRequestObject(ctx.issuer, withObject)) : null
  const search = expanded === null ? withObject : expanded._tag === "Success" ? expanded.success : withoutRequestObject(withObject)
  // No trustworthy redirect target (e.g. the redirect_uri was only inside the refused object): the error page names
  // the refusal of the reference or object, the real cause, rather than the missing redirect_uri.
  const refusal = referenced?._tag === "Failure" ? referenced.failure : expanded?._tag === "Failure" ? expanded.failure : null
  const { client, target } = yield* resolveRedirectTarget(search).pipe(
    Effect.catchTag("OAuthError", (failure) => Effect.fail(refusal ?? failure))
  )
  return yield* Effect.gen(function*() {
    if (referenced !== null && referenced._tag === "Failure") return yield* Effect.fail(referenced.failure)
    if (expanded !== null && expanded._tag === "Failure") return yield* Effect.fail(expanded.failure)
    yield* checkParRequirement(client, pushed !== null)
    const validated = yield* validateAuthorizationRequest(client, target, search)
    const pending = { ...validated, idTokenHintSubject: yield* idTokenHintSubject(ctx, search), ...pairwiseOption(client) }
    const session = yield* currentSession(request)
    return yield* continueAuthorization(ctx, client, pending, { step: "start", session }, browserCsrfToken(request), pageLocale(request, pending))
  }).pipe(Effect.catch((failure) => authorizationError(target, ctx.issuer, failure, pageLocale(request, uiLocaleOf(search.get("ui_locales"))))))
}, orErrorPage)
