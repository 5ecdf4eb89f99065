/**
 * `scope` (RFC 6749 §3.3, OIDC Core §3.1.2.1). This is an OpenID Provider:
 * the request must carry `openid`. Every scope must be one the client is
 * registered for (`invalid_scope` otherwise) — a request cannot widen what
 * the client was given.
 */
import { OAuthError, type Client } from "@authrim/contracts"
import { Effect } from "effect"

/** RFC 6749 §3.3 scope-token: printable ASCII except space, `"` and `\`. */
const scopeToken = /^[\x21\x23-\x5B\x5D-\x7E]+$/

/** The requested scopes, de-duplicated in request order. */
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
  const refused = scopes.filter((s) => !allowed.has(s))
  if (refused.length > 0) {
    return Effect.fail(new OAuthError({ code: "invalid_scope", description: `the client may not request scope ${refused.join(" ")}` }))
  }
  return Effect.succeed(scopes)
}
