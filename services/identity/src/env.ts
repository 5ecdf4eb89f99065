/** Bindings of the identity worker (see wrangler.jsonc and storage-schema.md). */
import type { ChallengeStore } from "./challenge_store.ts"

export interface ServiceEnv {
  /** Shared D1 database: users, oauth_clients, oauth_client_consents, scope_mappings, … */
  DB: D1Database
  /** Read-through cache of client metadata (`client:<id>`), invalidated on every change. */
  CLIENTS: KVNamespace
  /** ChallengeStore shards (`challenge-shard-<n>`, n < 64). */
  CHALLENGES: DurableObjectNamespace<ChallengeStore>
}
