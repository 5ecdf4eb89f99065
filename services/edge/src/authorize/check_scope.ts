/**
 * `scope` (RFC 6749 §3.3, OIDC Core §3.1.2.1). This is an OpenID Provider:
 * the request must carry `openid` (`invalid_scope` otherwise). Other values
 * the client is not registered for — unknown ones included — are ignored
 * (Core §3.1.2.1: "Scope values used that are not understood by an
 * implementation SHOULD be ignored"): they are dropped from the grant, never
 * refused, so a request cannot widen what the client was given. The token
 * response names the granted scope (RFC 6749 §5.1). A malformed scope-token
 * is still `invalid_scope`.
 */
import { OAuthError, type Client } from "@authrim/contracts"
import { Effect } from "effect"

/** RFC 6749 §3.3 scope-token: printable ASCII except space, `"` and `\`. */
const scopeToken = /^[\x21\x23-\x5B\x5D-\x7E]+$/

/** The granted scopes: the requested ones the client is registered for, de-duplicated in request order. */
export const checkScope = (client: Client, requested: string | undefined): Effect.Effect<ReadonlyArray<string>, OAuthError> => {
  if (requested === undefined) {
    return Effect.fail(new OAuthError({ code: "invalid_request", description: "scope is required and must include openid" }))
  }
  const scopes = [...new Set(requested.split(" ").filter((s) => s !== ""))]
  if (scopes.some((s) => !scopeToken.test(s))) {
    return Effect.fail(new OAuthError({ code: "invalid_scope", description: "scope contains an invalid character" }))
  }
  if (!scopes.includes("openid")) {
    return Effect.fail(new OAuthError({ code: "invalid_scope", description: "scope must include openid" }))
  }
  const allowed = new Set(client.scope.split(" ").filter((s) => s !== ""))
  if (!allowed.has("openid")) {
    return Effect.fail(new OAuthError({ code: "invalid_scope", description: "the client may not request scope openid" }))
  }
  return Effect.succeed(scopes.filter((s) => allowed.has(s)))
}
