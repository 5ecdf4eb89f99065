/**
 * The keys service's JWKS in isolate memory (DESIGN §2: the edge may cache the
 * JWKS). One copy serves both `GET /jwks` (its body is serialized once per
 * fetch) and the edge's own access-token checks (resource/access_token_jwt.ts),
 * so neither costs an RPC on the hot path.
 *
 * How fast it follows a rotation (documented in the edge README):
 * - a copy is reused for at most {@link JWKS_MEMORY_TTL_MS}; `/jwks` shows a new
 *   or dropped key within that (RPs add their own `max-age=300`);
 * - a token whose `kid` is not in the copy asks for a fresh one at once, unless
 *   this isolate fetched within {@link JWKS_REFETCH_SPACING_MS}: a flood of
 *   made-up kids costs the KeyManager one call per isolate per spacing, not one per request.
 * Only successes are kept; a failed fetch is retried by the next request.
 */
import type { EdgeFailure } from "@authrim/contracts"
import { Clock, Effect } from "effect"
import { Edge } from "../edge_layer.ts"

/** How long an isolate reuses a fetched JWKS. */
export const JWKS_MEMORY_TTL_MS = 60_000

/** The least time between two fetches caused by an unknown `kid`. */
export const JWKS_REFETCH_SPACING_MS = 5_000

/** One fetched JWKS: the keys, the `/jwks` body, and when it was fetched (epoch ms). */
export interface PublishedJwks {
  readonly keys: ReadonlyArray<Readonly<Record<string, unknown>>>
  readonly body: string
  readonly fetchedAt: number
}

let cached: PublishedJwks | null = null

const fetchJwks = (now: number): Effect.Effect<PublishedJwks, EdgeFailure, Edge> =>
  Edge.use(({ backends }) =>
    backends.keys.getJwks({}).pipe(
      Effect.map(({ keys }) => {
        cached = { keys, body: JSON.stringify({ keys }), fetchedAt: now }
        return cached
      })
    ))

/** The JWKS, from memory while younger than the TTL (and not from the future: a clock stepped back refetches). */
export const currentJwks: Effect.Effect<PublishedJwks, EdgeFailure, Edge> = Effect.flatMap(Clock.currentTimeMillis, (now) => {
  const hit = cached
  return hit !== null && now >= hit.fetchedAt && now - hit.fetchedAt < JWKS_MEMORY_TTL_MS ? Effect.succeed(hit) : fetchJwks(now)
})

/**
 * Drops this isolate's copy (the admin API's "rotate now" calls it): the next
 * request fetches the JWKS, so a token signed with the new key is accepted here
 * at once; other isolates refetch on its unknown `kid` (at most
 * {@link JWKS_REFETCH_SPACING_MS} after their last fetch).
 */
export const forgetJwks = (): void => {
  cached = null
}

/**
 * A fresh JWKS after `seen` lacked a token's kid, or null when this isolate
 * fetched within the spacing (then the kid stays unknown). A copy newer than
 * `seen` (another request refetched meanwhile) is answered without a fetch.
 */
export const refetchedJwks = (seen: PublishedJwks): Effect.Effect<PublishedJwks | null, EdgeFailure, Edge> =>
  Effect.flatMap(Clock.currentTimeMillis, (now) => {
    const latest = cached
    if (latest !== null && latest !== seen && latest.fetchedAt >= seen.fetchedAt) return Effect.succeed(latest)
    if (latest !== null && now >= latest.fetchedAt && now - latest.fetchedAt < JWKS_REFETCH_SPACING_MS) return Effect.succeed(null)
    return fetchJwks(now)
  })
