/**
 * Exact redirect-URI matching (RFC 6749 §3.1.2.3, RFC 9700 §4.1.1): the
 * requested URI must equal a registered one character for character — no
 * prefix, path, query or trailing-slash leniency, no open redirects.
 * OIDC Core §3.1.2.1 makes `redirect_uri` required, so it is never defaulted.
 */
import { OAuthError, type Client } from "@authrim/contracts"
import { Effect } from "effect"

/** The redirect URI, if it is registered for `client`; else `invalid_request` (rendered as a page, never a redirect). */
export const checkRedirectUri = (client: Client, requested: string | undefined): Effect.Effect<string, OAuthError> => {
  if (requested === undefined) {
    return Effect.fail(new OAuthError({ code: "invalid_request", description: "redirect_uri is required" }))
  }
  return client.redirectUris.includes(requested)
    ? Effect.succeed(requested)
    : Effect.fail(new OAuthError({ code: "invalid_request", description: "redirect_uri is not registered for this client" }))
}
