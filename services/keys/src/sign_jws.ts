/** Compact JWS (RFC 7515 §7.1) over a JSON payload, header {alg, kid, typ?}. */
import { Effect } from "effect"
import { CompactSign } from "jose"
import type { Unavailable } from "@authrim/contracts"
import { base64url, sha256Bytes } from "@authrim/platform"
import { cryptoFailure } from "./crypto_failure.ts"
import type { CachedSigningKey } from "./signing_key_cache.ts"

const utf8 = new TextEncoder()

/**
 * Signs `payload` with `signingKey`; `typ` (e.g. "at+jwt" per RFC 9068) goes in the protected header when given.
 * A signing rejection (runtime fault, unusable key) is `Unavailable`.
 */
export const signCompactJws = (
  signingKey: CachedSigningKey,
  payload: Readonly<Record<string, unknown>>,
  typ: string | undefined
): Effect.Effect<string, Unavailable> =>
  Effect.tryPromise({
    try: () =>
      new CompactSign(utf8.encode(JSON.stringify(payload)))
        .setProtectedHeader(typ === undefined
          ? { alg: signingKey.alg, kid: signingKey.kid }
          : { alg: signingKey.alg, kid: signingKey.kid, typ })
        .sign(signingKey.key),
    catch: cryptoFailure(`sign with ${signingKey.kid}`)
  })

/**
 * OIDC Core §3.1.3.6 `at_hash`: the left half of the SHA-256 of the access
 * token's ASCII, base64url. SHA-256 is the hash of both algs we sign with (RS256, ES256).
 */
export const atHash = (accessToken: string): Effect.Effect<string> =>
  sha256Bytes(accessToken).pipe(Effect.map((digest) => base64url(digest.subarray(0, digest.length / 2))))
