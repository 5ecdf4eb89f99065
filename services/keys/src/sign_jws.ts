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
