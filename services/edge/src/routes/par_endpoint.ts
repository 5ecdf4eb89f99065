/**
 * `POST /par` — Pushed Authorization Requests (RFC 9126 §2). The client
 * authenticates as at `/token`; the request is validated exactly as
 * `/authorize` validates it (same functions), so errors surface here, in
 * RFC 6749 §5.2 JSON, instead of at the user's browser. Success is 201
 * `{ request_uri, expires_in }` (§2.2), never cached.
 */
import { OAuthError, type EdgeFailure } from "@authrim/contracts"
import { Effect } from "effect"
import { isFapi2Client } from "../authorize/fapi_profile.ts"
import { Edge } from "../edge_layer.ts"
import { expandRequestObject, hasRequestObject } from "../authorize/request_object_parameter.ts"
import { resolveRedirectTarget } from "../authorize/resolve_redirect_target.ts"
import { validateAuthorizationRequest } from "../authorize/validate_authorization_request.ts"
import type { RouteContext } from "../route_context.ts"
import { readFormFields } from "../http/form_body.ts"
import { noStoreJson } from "../http/oauth_json.ts"
import { paramsFrom } from "../http/request_params.ts"
import { pushedRequestParameters, toPushedParameters } from "../par/pushed_request_parameters.ts"
import { authenticateClient } from "../token_endpoint/authenticate_client.ts"
import { clientEndpointError } from "../token_endpoint/token_error.ts"

/** Handles a pushed authorization request. */
export const pushAuthorizationRequest = Effect.fnUntraced(function*(request: Request, ctx: RouteContext) {
  const { backends } = yield* Edge
  const fields = yield* readFormFields(request)
  const authenticated = yield* authenticateClient(request, yield* paramsFrom(fields), ctx.issuer)
  const pushedParameters = yield* pushedRequestParameters(authenticated, fields)
  // RFC 9126 §3: a request object in the push is verified now; its parameters are what is stored.
  const parameters = hasRequestObject(pushedParameters) ? yield* expandRequestObject(ctx.issuer, pushedParameters) : pushedParameters
  const { client, target } = yield* resolveRedirectTarget(parameters)
  // FAPI 2.0 §5.3.2.2: the pushed request names its redirect_uri (no default from registration).
  if (isFapi2Client(client) && !parameters.has("redirect_uri")) {
    return yield* new OAuthError({ code: "invalid_request", description: "redirect_uri is required in a pushed request (FAPI 2.0 profile)" })
  }
  yield* validateAuthorizationRequest(client, target, parameters)
  const ttlSeconds = (yield* Edge).par.requestTtlSeconds
  const pushed = yield* backends.par.pushAuthorizationRequest({
    clientId: client.clientId,
    parameters: toPushedParameters(parameters),
    ...(ttlSeconds === undefined ? {} : { ttlSeconds })
  })
  return noStoreJson({ request_uri: pushed.requestUri, expires_in: pushed.expiresIn }, 201)
}, (effect, request) => effect.pipe(Effect.catch((failure: EdgeFailure) => Effect.succeed(clientEndpointError(request, failure)))))
