/**
 * `POST /token` (RFC 6749 §3.2): form-encoded only, client authenticated
 * first, then the grant. A grant the provider does not implement is
 * `unsupported_grant_type`; one the client is not registered for is
 * `unauthorized_client`. Every response is `no-store`.
 */
import { OAuthError, TOKEN_EXCHANGE_GRANT, type Client, type EdgeFailure, type TokenSet } from "@authrim/contracts"
import { Effect } from "effect"
import type { Edge } from "../edge_layer.ts"
import type { RouteContext } from "../route_context.ts"
import { readFormBody } from "../http/form_body.ts"
import { noStoreJson } from "../http/oauth_json.ts"
import { limitTokenEndpoint } from "../http/surface_rate_limits.ts"
import type { Params } from "../http/request_params.ts"
import { authenticateClient } from "../token_endpoint/authenticate_client.ts"
import { authorizationCodeGrant } from "../token_endpoint/grants/code_grant_request.ts"
import { clientCredentialsGrant } from "../token_endpoint/grants/client_credentials_request.ts"
import { DEVICE_CODE_GRANT, deviceCodeGrant } from "../token_endpoint/grants/device_grant_request.ts"
import { refreshTokenGrant } from "../token_endpoint/grants/refresh_grant_request.ts"
import { tokenExchangeGrant } from "../token_endpoint/grants/token_exchange_request.ts"
import { clientEndpointError } from "../token_endpoint/token_error.ts"
import { dpopTokenError, tokenEndpointDpop, withDpopNonce } from "../dpop/token_endpoint_dpop.ts"

type Grant = (ctx: RouteContext, client: Client, form: Params) => Effect.Effect<TokenSet, EdgeFailure, Edge>

/** The grants this provider implements (also the discovery document's grant_types_supported). */
export const grants: Record<string, Grant> = {
  authorization_code: authorizationCodeGrant,
  refresh_token: refreshTokenGrant,
  client_credentials: clientCredentialsGrant,
  [DEVICE_CODE_GRANT]: deviceCodeGrant,
  // RFC 8693 (issue 14): delegation for internal workers, per-client policy.
  [TOKEN_EXCHANGE_GRANT]: tokenExchangeGrant
}

/** A token request past the rate limit. */
const handleToken = Effect.fnUntraced(function*(request: Request, ctx: RouteContext) {
  const form = yield* readFormBody(request)
  const client = yield* authenticateClient(request, form, ctx.issuer)
  const grantType = form.get("grant_type")
  if (grantType === undefined) return yield* new OAuthError({ code: "invalid_request", description: "grant_type is required" })
  const grant = Object.hasOwn(grants, grantType) ? grants[grantType] : undefined
  if (grant === undefined) return yield* new OAuthError({ code: "unsupported_grant_type", description: "this grant_type is not supported" })
  if (!client.grantTypes.includes(grantType)) {
    return yield* new OAuthError({ code: "unauthorized_client", description: "the client is not registered for this grant_type" })
  }
  const dpop = yield* tokenEndpointDpop(ctx, request, client)
  return withDpopNonce(noStoreJson(yield* grant(dpop === null ? ctx : { ...ctx, dpopJkt: dpop.jkt }, client, form)), dpop)
}, (effect, request) => effect.pipe(Effect.catch((failure) =>
    Effect.succeed(failure._tag === "DpopRejected" ? dpopTokenError(failure) : clientEndpointError(request, failure)))))

/** Handles a token request: per-IP rate limit (RateLimit fields on every admitted answer), then the grant. */
export const token = limitTokenEndpoint(handleToken)
