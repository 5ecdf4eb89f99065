/**
 * Registration rules for the keys of `private_key_jwt` clients (RFC 7591 §2,
 * OIDC Dynamic Registration §2): exactly one of `jwks` (by value) and
 * `jwks_uri`, never both; no client secret (the keys are the credential);
 * `jwks_uri` is https, or http on localhost / 127.0.0.1 for local development
 * (the e2e tests serve a JWK Set from Node). Keys must be public: a JWK with
 * a private member (`d`, `p`, `q`, `k`…) is refused so a mistaken paste of a
 * private key is never stored. Other methods may not carry keys (they would
 * never be used, and JAR is not implemented yet).
 */
import { OAuthError, type ClientAuthMethod, type ClientInput, type ClientJwks } from "@authrim/contracts"
import { Effect } from "effect"

const metadataError = (description: string) => new OAuthError({ code: "invalid_client_metadata", description })

/** JWK members that only private or symmetric keys have (RFC 7518 §6). */
const privateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"]

const isAllowedJwksUri = (uri: string): boolean => {
  try {
    const url = new URL(uri)
    if (url.hash !== "") return false
    if (url.protocol === "https:") return true
    return url.protocol === "http:" && (url.hostname === "localhost" || url.hostname === "127.0.0.1")
  } catch {
    return false
  }
}

/** The normalised `jwks` / `jwksUri` of a client, or `invalid_client_metadata`. */
export const clientKeyMetadata = Effect.fnUntraced(function*(input: ClientInput, method: ClientAuthMethod, secret: string | null) {
  const jwks: ClientJwks | null = input.jwks ?? null
  const jwksUri = input.jwksUri === undefined || input.jwksUri === null || input.jwksUri === "" ? null : input.jwksUri
  if (method !== "private_key_jwt") {
    if (jwks !== null || jwksUri !== null) return yield* metadataError("jwks / jwks_uri are only used with private_key_jwt")
    return { jwks: null, jwksUri: null }
  }
  if (secret !== null) return yield* metadataError("a private_key_jwt client has no client secret")
  if ((jwks === null) === (jwksUri === null)) return yield* metadataError("private_key_jwt needs exactly one of jwks and jwks_uri")
  if (jwksUri !== null && !isAllowedJwksUri(jwksUri)) return yield* metadataError("jwks_uri must be an https URL without fragment")
  if (jwks !== null) {
    if (jwks.keys.length === 0) return yield* metadataError("jwks has no keys")
    const bad = jwks.keys.find((key) => typeof key["kty"] !== "string" || privateMembers.some((m) => m in key))
    if (bad !== undefined) return yield* metadataError("jwks must hold public keys only (kty set, no private members)")
  }
  return { jwks, jwksUri }
})
