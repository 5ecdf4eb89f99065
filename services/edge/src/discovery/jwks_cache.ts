/**
 * A short isolate-memory cache of the JWKS in front of the keys service
 * (DESIGN §2: the edge may cache the JWKS). 60 s keeps a burst of RP fetches
 * to one RPC per isolate per minute; a new key is still published long before
 * it signs anything that matters, since RPs themselves cache for 300 s.
 */
import type { EdgeFailure } from "@authrim/contracts"
import { Clock, Effect } from "effect"
import type { Backends } from "../backends.ts"

/** How long an isolate reuses a fetched JWKS. */
export const JWKS_MEMORY_TTL_MS = 60_000

type Jwks = { readonly keys: ReadonlyArray<Record<string, unknown>> }
let cached: { readonly jwks: Jwks; readonly until: number } | null = null

/** The JWKS, from memory when fresh. Only successes are cached. */
export const currentJwks = (backends: Backends): Effect.Effect<Jwks, EdgeFailure> =>
  Effect.gen(function*() {
    const now = yield* Clock.currentTimeMillis
    if (cached !== null && cached.until > now) return cached.jwks
    const jwks = yield* backends.keys.getJwks({})
    cached = { jwks, until: now + JWKS_MEMORY_TTL_MS }
    return jwks
  })
