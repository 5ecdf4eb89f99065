/**
 * The scope of a device authorization request (RFC 8628 §3.1, RFC 6749 §3.3).
 * Unlike `/authorize`, `openid` is not required: a device may want plain OAuth
 * access. Every scope must be one the client is registered for. Omitted, the
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
  const refused = scopes.filter((s) => !allowed.includes(s))
  if (refused.length > 0) {
    return Effect.fail(new OAuthError({ code: "invalid_scope", description: `the client may not request scope ${refused.join(" ")}` }))
  }
  return Effect.succeed(scopes.join(" "))
}
