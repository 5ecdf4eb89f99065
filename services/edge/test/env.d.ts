import type { D1Migration } from "cloudflare:test"
import type { IdentitySeedRpc, ResourceServerRpc } from "@authrim/contracts"
import type { ServiceEnv } from "../src/env.ts"

declare global {
  namespace Cloudflare {
    interface Env extends ServiceEnv {
      /** TEST-ONLY: the backends' shared D1 (same id), to apply migrations before the tests. */
      DB: D1Database
      TEST_MIGRATIONS: D1Migration[]
      /** TEST-ONLY: identity's KV of initial access tokens (same id), to plant an expired token (dynamic_registration.test.ts). */
      INITIAL_ACCESS_TOKENS: KVNamespace
      /** TEST-ONLY: a service binding to a closed port, typed as the limiter (rate_limits.test.ts). */
      RATELIMIT_UNREACHABLE: ServiceEnv["RATELIMIT"]
      /** TEST-ONLY: the production-configured copy of each backend (vitest.config.ts, production_settings.test.ts). */
      KEYS_PRODUCTION: ServiceEnv["KEYS"]
      KEYS_ADMIN_PRODUCTION: ServiceEnv["KEYS_ADMIN"]
      SESSION_PRODUCTION: ServiceEnv["SESSION"]
      SESSION_ADMIN_PRODUCTION: ServiceEnv["SESSION_ADMIN"]
      TOKENS_PRODUCTION: ServiceEnv["TOKENS"]
      TOKENS_ADMIN_PRODUCTION: ServiceEnv["TOKENS_ADMIN"]
      RATELIMIT_PRODUCTION: ServiceEnv["RATELIMIT"]
      IDENTITY_PRODUCTION: ServiceEnv["IDENTITY"]
      IDENTITY_ADMIN_PRODUCTION: ServiceEnv["IDENTITY_ADMIN"]
      /** TEST-ONLY: identity's `IdentitySeed` entrypoint (what `npm run seed` binds), to plant users and clients. */
      IDENTITY_SEED: IdentitySeedRpc
      /** TEST-ONLY: tokens' `TokensForResourceServers` entrypoint, as a resource server's Worker binds it (token_exchange.test.ts). */
      TOKENS_FOR_RESOURCE_SERVERS: ResourceServerRpc
      /** TEST-ONLY: origin of the Node server hosting request objects by reference (test-support/request_object_host.ts). */
      REQUEST_OBJECT_HOST: string
    }
    /** Types `exports.default` (the edge's fetch handler) for the tests. */
    interface GlobalProps {
      mainModule: typeof import("../src/index.ts")
    }
  }
}
