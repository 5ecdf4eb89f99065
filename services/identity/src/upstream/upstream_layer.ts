/**
 * `UpstreamBindings` from the worker's env, with this isolate's caches (they
 * outlive a request on purpose: that is what saves D1 reads and upstream
 * metadata fetches).
 */
import { Layer } from "effect"
import type { ServiceEnv } from "../env.ts"
import { ProviderListCache } from "./provider_list_cache.ts"
import { UpstreamBindings } from "./upstream_bindings.ts"
import { UpstreamMetadataCache } from "./upstream_metadata_cache.ts"

const providers = new ProviderListCache()
const metadata = new UpstreamMetadataCache()

/** The upstream-provider programs' bindings of `env`. */
export const upstreamBindingsLayer = (env: ServiceEnv): Layer.Layer<UpstreamBindings> =>
  Layer.succeed(UpstreamBindings)({
    db: env.DB,
    stateKv: env.STATE_STORE,
    nonceKv: env.NONCE_STORE,
    providers,
    metadata,
    fetch: (input, init) => fetch(input, init)
  })
