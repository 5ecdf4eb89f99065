/**
 * PKCE (RFC 7636) on the token side: the verifier's syntax, and its S256
 * transform for the code store to compare (constant time) with the stored
 * challenge. Only S256 is supported; `plain` would let a stolen challenge redeem.
 */
import { sha256Base64url, timingSafeEqual } from "@authrim/platform"
import { OAuthError } from "@authrim/contracts"
import { Effect } from "effect"

/** RFC 7636 §4.1: 43–128 characters of [A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~". */
const verifierPattern = /^[A-Za-z0-9\-._~]{43,128}$/

/** An S256 code_challenge: BASE64URL of 32 bytes, 43 characters. */
export const challengePattern = /^[A-Za-z0-9_-]{43}$/

/** BASE64URL(SHA256(verifier)), or null when no verifier was sent; a malformed verifier is `invalid_grant`. */
export const verifierChallenge = (verifier: string | null): Effect.Effect<string | null, OAuthError> => {
  if (verifier === null) return Effect.succeed(null)
  if (!verifierPattern.test(verifier)) {
    return Effect.fail(new OAuthError({ code: "invalid_grant", description: "code_verifier must be 43-128 unreserved characters" }))
  }
  return sha256Base64url(verifier)
}

/** RFC 7636 §4.6 on the challenge of the authorization request; null when the check passes. */
export const pkceRejection = (stored: string | null, presented: string | null): string | null => {
  if (stored === null) return presented === null ? null : "code_verifier sent but no code_challenge was used"
  if (presented === null) return "code_verifier required"
  return timingSafeEqual(stored, presented) ? null : "code_verifier does not match code_challenge"
}
