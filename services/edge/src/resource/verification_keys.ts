/**
 * The public keys of a fetched JWKS as WebCrypto keys, imported on first use
 * and kept with that copy of the JWKS (a refetched copy starts afresh, so a
 * dropped key stops verifying when the copy that lacked it arrives).
 */
import { Schema } from "effect"
import { importJWK, type JWK, type JWSHeaderParameters } from "jose"
import type { PublishedJwks } from "../discovery/edge_jwks_cache.ts"

/**
 * The token names a key (kid + alg) this copy of the JWKS does not have: a refetch may find it.
 * Thrown from jose's key resolver (a Promise API), so access_token_jwt.ts tells it apart by class.
 */
export class UnknownSigningKey extends Schema.TaggedError<UnknownSigningKey>()("UnknownSigningKey", {}) {}

const importedByJwks = new WeakMap<PublishedJwks, Map<string, CryptoKey>>()

/**
 * The key for a token's protected header. Our tokens always carry `kid` (the
 * keys service sets it), so a header without one names no key of ours.
 * The JWK must be a signing key of the header's `alg`; `importJWK` then
 * refuses a key of another type or curve.
 */
export const verificationKeyFor = async (jwks: PublishedJwks, header: JWSHeaderParameters): Promise<CryptoKey> => {
  const { kid, alg } = header
  if (kid === undefined || alg === undefined) throw new UnknownSigningKey()
  let imported = importedByJwks.get(jwks)
  if (imported === undefined) importedByJwks.set(jwks, (imported = new Map()))
  const id = `${alg} ${kid}`
  const known = imported.get(id)
  if (known !== undefined) return known
  const jwk = jwks.keys.find((k) => k["kid"] === kid && k["alg"] === alg && (k["use"] === undefined || k["use"] === "sig"))
  if (jwk === undefined) throw new UnknownSigningKey()
  const key = await importJWK(jwk as JWK, alg)
  // A JWKS of public keys never yields raw bytes (only `oct` keys do); refuse rather than verify with one.
  if (key instanceof Uint8Array) throw new UnknownSigningKey()
  imported.set(id, key)
  return key
}
