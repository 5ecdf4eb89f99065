/**
 * The identity service's dependencies as one Effect service, so programs are
 * plain Effects and tests provide their own instance (fresh memory caches)
 * instead of mocking anything.
 */
import { Context } from "effect"
import type { AuthrimEnv, SystemSettingsCache } from "@authrim/contracts"
import type { ClientMemoryCache } from "./clients/client_memory_cache.ts"
import type { ServiceEnv } from "./env.ts"
import type { ScopeMappingCache } from "./users/scope_mapping_cache.ts"

export interface IdentityBindingsShape {
  readonly db: D1Database
  readonly clientsKv: KVNamespace
  readonly challenges: ServiceEnv["CHALLENGES"]
  /** Used private_key_jwt assertion jtis (clients/client_assertion.ts). */
  readonly assertionJtis: ServiceEnv["ASSERTION_JTIS"]
  /** Isolate-memory layer in front of the CLIENTS KV namespace. */
  readonly clientMemory: ClientMemoryCache
  /** KV `SETTINGS` (the system settings document) and this isolate's copy of it. */
  readonly settingsKv: KVNamespace
  readonly settingsCache: SystemSettingsCache
  /** `AUTHRIM_ENV`: picks the settings defaults (mfaRequiredForAdmins is on in production). */
  readonly environment: AuthrimEnv
  /** Isolate-memory copy of the (tiny, read-mostly) scope_mappings table. */
  readonly scopeMappings: ScopeMappingCache
}

export class IdentityBindings extends Context.Service<IdentityBindings, IdentityBindingsShape>()(
  "@authrim/identity/IdentityBindings"
) {}

/** Service name used in `Unavailable` errors. */
export const serviceName = "identity"
