/**
 * The active signing key of each alg, imported once and kept in isolate memory
 * (DESIGN §2), so issuing a token costs no round trip to the KeyManager.
 *
 * Freshness: an entry lives `signingKeyTtlMs`; a rotation made through this
 * isolate (RPC `rotate` or the cron) drops it at once. Another isolate may sign
 * with the previous key for up to the TTL after a rotation, which is safe: a
 * retired key stays in the JWKS for 30 days.
 */
import { Clock, Effect } from "effect"
import { importJWK } from "jose"
import type { SigningAlg, Unavailable } from "@authrim/contracts"
import { cryptoFailure } from "./crypto_failure.ts"
import type { SigningKeyMaterial } from "./key_manager.ts"

/** How long an isolate signs with a key before asking the KeyManager again (60 s). */
export const signingKeyTtlMs = 60_000

/** An imported private key ready for jose. */
export interface CachedSigningKey {
  readonly kid: string
  readonly alg: SigningAlg
  readonly key: Awaited<ReturnType<typeof importJWK>>
  readonly loadedAt: number
}

const cache = new Map<SigningAlg, CachedSigningKey>()

/** The cached key of `alg`, or the one `load` fetches when the entry is missing or stale. */
export const cachedSigningKey = Effect.fnUntraced(function*<R>(
  alg: SigningAlg,
  load: Effect.Effect<SigningKeyMaterial, Unavailable, R>
): Effect.fn.Return<CachedSigningKey, Unavailable, R> {
  const now = yield* Clock.currentTimeMillis
  const hit = cache.get(alg)
  if (hit !== undefined && now - hit.loadedAt < signingKeyTtlMs) return hit
  const material = yield* load
  const key = yield* Effect.tryPromise({
    try: () => importJWK(material.privateJwk, material.alg),
    catch: cryptoFailure(`import ${material.kid}`)
  })
  const entry: CachedSigningKey = { kid: material.kid, alg: material.alg, key, loadedAt: now }
  cache.set(alg, entry)
  return entry
})

/** Drops every cached key (after a rotation), so the next signature uses the new active key. */
export const forgetSigningKeys = (): void => cache.clear()
