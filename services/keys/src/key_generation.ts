/**
 * Creates a signing key pair. The kid is the RFC 7638 JWK thumbprint of the
 * public key: unique per key, stable, and derivable by anyone holding the JWK.
 */
import { Effect } from "effect"
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from "jose"
import type { SigningAlg, Unavailable } from "@authrim/contracts"
import { cryptoFailure } from "./crypto_failure.ts"

/** A freshly generated key: both halves as JWKs, the private one only for storage. */
export interface GeneratedKey {
  readonly kid: string
  readonly alg: SigningAlg
  readonly publicJwk: JWK
  readonly privateJwk: JWK
}

/**
 * RS256 uses a 2048-bit modulus (the RFC 7518 minimum and what RPs expect);
 * ES256 uses P-256. A rejection (a runtime fault) is `Unavailable`: maintenance
 * fails and is retried by the next call, no half-made key is stored.
 */
export const generateSigningKey = (alg: SigningAlg): Effect.Effect<GeneratedKey, Unavailable> =>
  Effect.tryPromise({
    try: async () => {
      const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true, modulusLength: 2048 })
      const exportedPublic = await exportJWK(publicKey)
      const privateJwk = await exportJWK(privateKey)
      const kid = await calculateJwkThumbprint(exportedPublic)
      const publicJwk: JWK = { ...exportedPublic, kid, alg, use: "sig" }
      return { kid, alg, publicJwk, privateJwk: { ...privateJwk, kid, alg } }
    },
    catch: cryptoFailure(`generate ${alg} key`)
  })
