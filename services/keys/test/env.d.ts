import type { HealthRpc, KeysAdminRpc, KeysPublicRpc, KeysSigningRpc } from "@authrim/contracts"
import type { KeysEnv } from "../src/env.ts"

/** Bindings the keys tests see: the worker's own plus test-only bindings to each of its entrypoints (vitest.config.ts). */
interface KeysTestEnv extends KeysEnv {
  /** `KeysForEdge`, as the edge's `KEYS`. */
  readonly KEYS_FOR_EDGE: KeysPublicRpc & HealthRpc
  /** `KeysAdmin`, as the edge's `KEYS_ADMIN`. */
  readonly KEYS_ADMIN: KeysAdminRpc
  /** `KeysForTokens`, as the tokens worker's `KEYS`. */
  readonly KEYS_FOR_TOKENS: KeysSigningRpc & KeysPublicRpc
  /** JSON of every committed service binding (test-support/service_bindings_in_repo.ts), for binding_surface.test.ts. */
  readonly SERVICE_BINDINGS_IN_REPO: string
}

declare global {
  namespace Cloudflare {
    interface Env extends KeysTestEnv {}
  }
}
