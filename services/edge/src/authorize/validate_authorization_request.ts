/**
 * Second phase of `/authorize`, once the redirect target is trusted: every
 * other rule of the request. Failures here go back to the RP's redirect_uri.
 * Unknown parameters are ignored (RFC 6749 §3.1); a `request` object has been
 * replaced by its verified parameters before this runs (request_object.ts), so
 * one still here is refused; so is a `request_uri`, which PAR
 * (par/load_pushed_request.ts) or the by-reference path
 * (request_uri/resolve_request_uri.ts) has replaced already; `claims` (OIDC
 * Core §5.5) is parsed strictly (claims_request.ts); RFC 8707 `resource`
 * values must be registered by the client (resource_parameter.ts, else
 * `invalid_target`, sent to the redirect_uri like every error here).
 */
import { OAuthError, type Client, type EdgeOAuthError } from "@authrim/contracts"
import { Effect } from "effect"
import { paramsFrom } from "../http/request_params.ts"
import { uiLocaleOf } from "../i18n/negotiate_locale.ts"
import { checkMaxAge } from "./check_max_age.ts"
import { checkPkce } from "./check_pkce_parameters.ts"
import { checkPrompt } from "./check_prompt.ts"
import { checkResponseMode } from "./check_response_mode.ts"
import { checkResponseType } from "./check_response_type.ts"
import { checkScope } from "./check_scope.ts"
import { parseClaimsParameter } from "./claims_request.ts"
import { requestedResources, resourcesOf } from "../resource_indicators/resource_parameter.ts"
import type { PendingAuthorization, RedirectTarget } from "./pending_authorization.ts"

/** The validated request, or the error to send to the redirect_uri. */
export const validateAuthorizationRequest = Effect.fnUntraced(function*(
  client: Client,
  target: RedirectTarget,
  search: URLSearchParams
): Effect.fn.Return<PendingAuthorization, OAuthError | EdgeOAuthError> {
  const params = yield* paramsFrom(search)
  yield* checkResponseMode(params.get("response_mode"))
  if (params.has("request")) {
    return yield* new OAuthError({ code: "request_not_supported", description: "request objects are not supported" })
  }
  if (params.has("request_uri")) {
    return yield* new OAuthError({ code: "request_uri_not_supported", description: "request_uri is not supported" })
  }
  yield* checkResponseType(client, params.get("response_type"))
  const scopes = yield* checkScope(client, params.get("scope"))
  const codeChallenge = yield* checkPkce(client, params.get("code_challenge"), params.get("code_challenge_method"))
  const prompt = yield* checkPrompt(params.get("prompt"))
  const maxAge = yield* checkMaxAge(params.get("max_age"))
  const claims = yield* parseClaimsParameter(params.get("claims"))
  const resources = yield* requestedResources(client, resourcesOf(params.get("resource")))
  return {
    target,
    scopes,
    nonce: params.get("nonce") ?? null,
    codeChallenge,
    prompt,
    maxAge,
    loginHint: params.get("login_hint") ?? null,
    acrValues: (params.get("acr_values") ?? "").split(" ").filter((acr) => acr !== ""),
    ...uiLocaleOf(params.get("ui_locales")),
    ...(claims === null ? {} : { claims }),
    ...(resources.length === 0 ? {} : { resources })
  }
})
