/**
 * `grant_type=refresh_token` (RFC 6749 §6). The tokens service rotates the
 * token atomically, detects reuse and refuses scope widening.
 */
import { OAuthError, type Client, type EdgeFailure, type TokenSet } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../../edge_layer.ts"
import type { RouteContext } from "../../route_context.ts"
import type { Params } from "../../http/request_params.ts"
import { issueOptions } from "../issue_options.ts"
import { isFapi2Client } from "../../authorize/fapi_profile.ts"
import { asInvalidTarget, requestedResources, resourcesOf } from "../../resource_indicators/resource_parameter.ts"

/** Space-separated RFC 6749 §3.3 scope-tokens. */
const scopeShape = /^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/

/** Rotates the refresh token. */
export const refreshTokenGrant = Effect.fnUntraced(function*(ctx: RouteContext, client: Client, form: Params): Effect.fn.Return<TokenSet, EdgeFailure, Edge> {
  const { backends } = yield* Edge
  const refreshToken = form.get("refresh_token")
  if (refreshToken === undefined) return yield* new OAuthError({ code: "invalid_request", description: "refresh_token is required" })
  const scope = form.get("scope") ?? null
  if (scope !== null && !scopeShape.test(scope)) {
    return yield* new OAuthError({ code: "invalid_scope", description: "scope is malformed" })
  }
  const resources = yield* requestedResources(client, resourcesOf(form.get("resource")))
  // FAPI 2.0 Security Profile §5.3.2.1: no refresh token rotation for its clients.
  return yield* asInvalidTarget(backends.tokens.refresh({
    ...issueOptions(ctx, client), refreshToken, clientId: client.clientId, scope, rotateRefreshToken: !isFapi2Client(client),
    ...(resources.length === 0 ? {} : { resources })
  }))
})
