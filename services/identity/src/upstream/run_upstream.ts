/**
 * Runs upstream-provider programs with this isolate's bindings and caches
 * (the caches outlive a request on purpose: that is what saves D1 reads and
 * upstream metadata fetches).
 */
import { Effect } from "effect"
import type { ServiceEnv } from "../env.ts"
import { ProviderListCache } from "./provider_list_cache.ts"
import { UpstreamBindings } from "./upstream_bindings.ts"
import { UpstreamMetadataCache } from "./upstream_metadata_cache.ts"

const providers = new ProviderListCache()
const metadata = new UpstreamMetadataCache()

/** Provides `UpstreamBindings` from the worker's env. */
export const runUpstream = <A, E>(env: ServiceEnv, program: Effect.Effect<A, E, UpstreamBindings>): Effect.Effect<A, E> =>
  Effect.provideService(program, UpstreamBindings, {
    db: env.DB,
    stateKv: env.STATE_STORE,
    nonceKv: env.NONCE_STORE,
    providers,
    metadata,
    fetch: (input, init) => fetch(input, init)
  })
