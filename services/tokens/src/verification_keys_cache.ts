/**
 * The keys service's JWKS, cached in isolate memory for 60 s so verifying a
 * bearer token is usually no round trip (DESIGN §2: hot reads cached briefly).
 * A token whose kid is not in the cached set triggers one refetch: right after
 * a rotation the new key signs before our cache has seen it.
 */
import { Unavailable, type OAuthError } from "@authrim/contracts"
import { Clock, Effect, Schema } from "effect"
import type { JSONWebKeySet } from "jose"
import { TokenStores } from "./token_stores.ts"

/** How long a fetched JWKS is trusted without asking again. */
export const jwksCacheTtlMs = 60_000

/** The public members jose needs; anything else in a published JWK is ignored. */
const PublicJwk = Schema.Struct({
  kty: Schema.String,
  kid: Schema.optional(Schema.String),
  alg: Schema.optional(Schema.String),
  use: Schema.optional(Schema.String),
  n: Schema.optional(Schema.String),
  e: Schema.optional(Schema.String),
  crv: Schema.optional(Schema.String),
  x: Schema.optional(Schema.String),
  y: Schema.optional(Schema.String)
})
const decodeJwk = Schema.decodeUnknownEffect(PublicJwk)

let cached: { readonly jwks: JSONWebKeySet; readonly fetchedAt: number } | null = null

/** The published keys in jose's shape; a member that is not a public JWK is skipped. */
export const toJoseJwks = (published: ReadonlyArray<Record<string, unknown>>): Effect.Effect<JSONWebKeySet> =>
  Effect.forEach(published, (jwk) => Effect.option(decodeJwk(jwk))).pipe(
    Effect.map((decoded) => ({ keys: decoded.flatMap((o) => (o._tag === "Some" ? [{ ...o.value }] : [])) }))
  )

/** Fetches the JWKS from the keys service and caches it. */
const fetchJwks = Effect.fnUntraced(function*(now: number): Effect.fn.Return<JSONWebKeySet, OAuthError | Unavailable, TokenStores> {
  const { keys } = yield* TokenStores
  const published = yield* keys.getJwks({}).pipe(
    // keys has no required settings today; were it ever misconfigured, our callers see it as keys being unavailable.
    Effect.catchTags({
      RpcFailure: (e) => Effect.fail(new Unavailable({ service: "keys", reason: `${e.method}: ${e.reason}` })),
      Misconfigured: (e) => Effect.fail(new Unavailable({ service: "keys", reason: `configuration error: ${e.setting} ${e.reason}` }))
    })
  )
  const jwks = yield* toJoseJwks(published.keys)
  cached = { jwks, fetchedAt: now }
  return jwks
})

/**
 * The JWKS: cached when younger than 60 s, fetched otherwise. `refresh`
 * forces a fetch unless the cache was filled at this very instant.
 */
export const currentJwks = Effect.fnUntraced(function*(refresh: boolean): Effect.fn.Return<{ readonly jwks: JSONWebKeySet; readonly fresh: boolean }, OAuthError | Unavailable, TokenStores> {
  const now = yield* Clock.currentTimeMillis
  const hit = cached
  if (hit !== null && !refresh && now - hit.fetchedAt < jwksCacheTtlMs && now >= hit.fetchedAt) {
    return { jwks: hit.jwks, fresh: false }
  }
  return { jwks: yield* fetchJwks(now), fresh: true }
})

/** Forgets the cached JWKS (tests, and after an explicit rotation). */
export const clearJwksCache = (): void => {
  cached = null
}
