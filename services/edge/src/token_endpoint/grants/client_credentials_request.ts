/**
 * `grant_type=client_credentials` (RFC 6749 §4.4): confidential clients only
 * (§4.4: "MUST only be used by confidential clients"), so a public client is
 * `unauthorized_client`. Scope rules:
 * - no `scope`: the client's registered scopes minus `openid` and
 *   `offline_access` (there is no user, so no ID token and no refresh token);
 * - a `scope`: values the client is not registered for (unknown ones included),
 *   and `openid` / `offline_access`, are dropped from the grant, not refused
 *   (OIDC Core §3.1.2.1 "SHOULD be ignored"); the response's `scope` names what
 *   was granted (RFC 6749 §5.1). A malformed scope, or one of which nothing can
 *   be granted, is `invalid_scope`.
 * The access token's `sub` is the client_id (see the tokens service). RFC 8707
 * `resource` values registered by the client become its `aud` (else `invalid_target`).
 */
import { OAuthError, type Client, type EdgeFailure, type TokenSet } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../../edge_layer.ts"
import type { RouteContext } from "../../route_context.ts"
import type { Params } from "../../http/request_params.ts"
import { requestedResources, resourcesOf } from "../../resource_indicators/resource_parameter.ts"

/** Scopes that only make sense with a user. */
const USER_ONLY_SCOPES = new Set(["openid", "offline_access"])

/** Space-separated RFC 6749 §3.3 scope-tokens. */
const scopeShape = /^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/

/** The scope granted to `client` for a requested `scope` (null: none requested). */
export const clientCredentialsScope = (client: Client, scope: string | null): Effect.Effect<string, OAuthError> => {
  const allowed = client.scope.split(" ").filter((s) => s !== "" && !USER_ONLY_SCOPES.has(s))
  if (scope === null) return Effect.succeed([...new Set(allowed)].join(" "))
  if (!scopeShape.test(scope)) return Effect.fail(new OAuthError({ code: "invalid_scope", description: "scope is malformed" }))
  const granted = [...new Set(scope.split(" "))].filter((s) => allowed.includes(s))
  return granted.length > 0
    ? Effect.succeed(granted.join(" "))
    : Effect.fail(new OAuthError({ code: "invalid_scope", description: "none of the requested scopes is available to this client with client_credentials" }))
}

/** Issues the client's own access token. */
export const clientCredentialsGrant = Effect.fnUntraced(function*(ctx: RouteContext, client: Client, form: Params): Effect.fn.Return<TokenSet, EdgeFailure, Edge> {
  const { backends } = yield* Edge
  if (client.isPublic) {
    return yield* new OAuthError({ code: "unauthorized_client", description: "client_credentials is for confidential clients only" })
  }
  const scope = yield* clientCredentialsScope(client, form.get("scope") ?? null)
  // RFC 9449 §5: a verified proof binds the token, as for every other grant.
  const binding = ctx.dpopJkt === undefined ? {} : { dpopJkt: ctx.dpopJkt }
  const resources = yield* requestedResources(client, resourcesOf(form.get("resource")))
  return yield* backends.tokens.clientCredentials({
    issuer: ctx.issuer, clientId: client.clientId, scope, ...binding, ...(resources.length === 0 ? {} : { resources })
  })
})
