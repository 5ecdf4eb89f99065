/**
 * What the upstream-provider programs need, as one Effect service: D1, the two
 * KV namespaces of a round trip, the isolate caches (providers, discovery,
 * JWKS) and `fetch` toward the upstream. Tests provide their own instance.
 */
import { Context } from "effect"
import type { UpstreamMetadataCache } from "./upstream_metadata_cache.ts"
import type { ProviderListCache } from "./provider_list_cache.ts"

export interface UpstreamBindingsShape {
  readonly db: D1Database
  /** `upstream-state:<sha256 hex of state>` → pending round trip, 600 s. */
  readonly stateKv: KVNamespace
  /** `upstream-nonce:<sha256 hex of nonce>` → its state hash, 600 s. */
  readonly nonceKv: KVNamespace
  readonly providers: ProviderListCache
  readonly metadata: UpstreamMetadataCache
  readonly fetch: typeof fetch
}

export class UpstreamBindings extends Context.Service<UpstreamBindings, UpstreamBindingsShape>()(
  "@authrim/identity/UpstreamBindings"
) {}

/** Service name used in `Unavailable` errors. */
export const upstreamServiceName = "identity"
