/**
 * PKCE (RFC 7636) at the authorization endpoint. Only S256 is supported
 * (RFC 9700 §2.1.1): `plain` is refused, and so is a challenge without a
 * method, because RFC 7636 §4.3 would default it to `plain`. Public clients
 * must use PKCE, and so must FAPI 2.0 clients (fapi_profile.ts); other
 * confidential clients may.
 */
import { OAuthError, type Client } from "@authrim/contracts"
import { Effect } from "effect"
import { isFapi2Client } from "./fapi_profile.ts"

/** RFC 7636 §4.2: BASE64URL(SHA256(verifier)) is 43 characters. */
const s256Challenge = /^[A-Za-z0-9_-]{43}$/

/** The S256 code challenge, or null when a confidential client sent none. */
export const checkPkce = (
  client: Client,
  challenge: string | undefined,
  method: string | undefined
): Effect.Effect<string | null, OAuthError> => {
  const invalid = (description: string) => Effect.fail(new OAuthError({ code: "invalid_request", description }))
  if (challenge === undefined) {
    if (method !== undefined) return invalid("code_challenge_method without code_challenge")
    if (client.isPublic) return invalid("PKCE is required for public clients: send code_challenge with code_challenge_method=S256")
    if (isFapi2Client(client)) return invalid("PKCE is required by the FAPI 2.0 profile: send code_challenge with code_challenge_method=S256")
    return Effect.succeed(null)
  }
  if (method === undefined) return invalid("code_challenge_method is required and must be S256")
  if (method !== "S256") return invalid("code_challenge_method must be S256")
  if (!s256Challenge.test(challenge)) return invalid("code_challenge is not a valid S256 challenge")
  return Effect.succeed(challenge)
}
