/**
 * Shard routing of the SessionStore (DESIGN §2: 100 shards by a stable hash
 * of the user id). The function is pure and must never change once deployed:
 * every session id carries the shard it was created in (see `session_id.ts`),
 * but `create` and `listForUser` route by user id, so changing the hash would
 * split a user's sessions across two shards.
 */
import { stableHash32 } from "@authrim/platform"

/** Number of SessionStore shards. Changing it re-routes every user: never change it in place. */
export const SESSION_SHARD_COUNT = 100

/**
 * The shard of a user: `stableHash32(userId) mod 100` (@authrim/platform: FNV-1a with the murmur3
 * finaliser, so ids differing only in their last characters spread over every residue).
 * Synchronous, so the entrypoint routes without awaiting WebCrypto.
 */
export const sessionShardFor = (userId: string): number => stableHash32(userId) % SESSION_SHARD_COUNT

/** The Durable Object name of shard `shard` (`idFromName("session-shard-N")`). */
export const sessionShardName = (shard: number): string => `session-shard-${shard}`
