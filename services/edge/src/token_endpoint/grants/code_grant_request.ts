/**
 * `grant_type=authorization_code` (RFC 6749 §4.1.3, RFC 7636 §4.5). The tokens
 * service redeems the code atomically and checks client, redirect_uri and the
 * PKCE verifier; the edge checks the request's shape. RFC 8707 `resource`
 * values (each registered by the client) narrow the resources the code granted;
 * one outside them is `invalid_target` and leaves the code unspent.
 */
import { OAuthError, type Client, type EdgeFailure, type TokenSet } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../../edge_layer.ts"
import type { RouteContext } from "../../route_context.ts"
import type { Params } from "../../http/request_params.ts"
import { issueOptions } from "../issue_options.ts"
import { asInvalidTarget, requestedResources, resourcesOf } from "../../resource_indicators/resource_parameter.ts"

/** RFC 7636 §4.1: 43–128 unreserved characters. */
const verifierShape = /^[A-Za-z0-9._~-]{43,128}$/

/** Redeems the code for tokens. */
export const authorizationCodeGrant = Effect.fnUntraced(function*(ctx: RouteContext, client: Client, form: Params): Effect.fn.Return<TokenSet, EdgeFailure, Edge> {
  const { backends } = yield* Edge
  const code = form.get("code")
  if (code === undefined) return yield* new OAuthError({ code: "invalid_request", description: "code is required" })
  const codeVerifier = form.get("code_verifier") ?? null
  if (codeVerifier !== null && !verifierShape.test(codeVerifier)) {
    return yield* new OAuthError({ code: "invalid_request", description: "code_verifier must be 43-128 unreserved characters" })
  }
  const resources = yield* requestedResources(client, resourcesOf(form.get("resource")))
  return yield* asInvalidTarget(backends.tokens.exchangeAuthorizationCode({
    ...issueOptions(ctx, client),
    code,
    clientId: client.clientId,
    redirectUri: form.get("redirect_uri") ?? null,
    codeVerifier,
    ...(resources.length === 0 ? {} : { resources })
  }))
})
