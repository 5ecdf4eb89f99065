/**
 * The scope of a device authorization request (RFC 8628 §3.1, RFC 6749 §3.3).
 * Unlike `/authorize`, `openid` is not required: a device may want plain OAuth
 * access. Values the client is not registered for (unknown ones included) are
 * dropped from the grant, not refused (OIDC Core §3.1.2.1); the token response
 * names the granted scope (RFC 6749 §5.1). A malformed scope-token, or a
 * request of which nothing can be granted, is `invalid_scope`. Omitted, the
 * client's registered scope is used (RFC 6749 §3.3 "pre-defined default value").
 */
import { OAuthError, type Client } from "@authrim/contracts"
import { Effect } from "effect"

/** RFC 6749 §3.3 scope-token: printable ASCII except space, `"` and `\`. */
const scopeToken = /^[\x21\x23-\x5B\x5D-\x7E]+$/

/** The granted scope string, de-duplicated in request order. */
export const deviceScope = (client: Client, requested: string | undefined): Effect.Effect<string, OAuthError> => {
  const allowed = client.scope.split(" ").filter((s) => s !== "")
  const scopes = requested === undefined ? allowed : [...new Set(requested.split(" ").filter((s) => s !== ""))]
  if (scopes.length === 0) return Effect.fail(new OAuthError({ code: "invalid_scope", description: "scope is empty" }))
  if (scopes.some((s) => !scopeToken.test(s))) {
    return Effect.fail(new OAuthError({ code: "invalid_scope", description: "scope contains an invalid character" }))
  }
  const granted = [...new Set(scopes.filter((s) => allowed.includes(s)))]
  if (granted.length === 0) {
    return Effect.fail(new OAuthError({ code: "invalid_scope", description: "none of the requested scopes is available to this client" }))
  }
  return Effect.succeed(granted.join(" "))
}
