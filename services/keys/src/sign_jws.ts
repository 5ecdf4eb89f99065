/** Compact JWS (RFC 7515 §7.1) over a JSON payload, header {alg, kid, typ?}. */
import { Effect } from "effect"
import { CompactSign } from "jose"
import type { CachedSigningKey } from "./signing_key_cache.ts"

/** Signs `payload` with `signingKey`; `typ` (e.g. "at+jwt" per RFC 9068) goes in the protected header when given. */
export const signCompactJws = (
  signingKey: CachedSigningKey,
  payload: Readonly<Record<string, unknown>>,
  typ: string | undefined
): Effect.Effect<string> =>
  Effect.promise(() =>
    new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader(typ === undefined
        ? { alg: signingKey.alg, kid: signingKey.kid }
        : { alg: signingKey.alg, kid: signingKey.kid, typ })
      .sign(signingKey.key)
  )

/**
 * OIDC Core §3.1.3.6 `at_hash`: the left half of the SHA-256 of the access
 * token's ASCII, base64url. SHA-256 is the hash of both algs we sign with (RS256, ES256).
 */
export const atHash = (accessToken: string): Effect.Effect<string> =>
  Effect.promise(async () => {
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(accessToken)))
    let binary = ""
    for (const byte of digest.subarray(0, digest.length / 2)) binary += String.fromCharCode(byte)
    return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "")
  })
