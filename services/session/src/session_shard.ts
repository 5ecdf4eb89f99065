/**
 * Shard routing of the SessionStore (DESIGN §2: 100 shards by a stable hash
 * of the user id). The function is pure and must never change once deployed:
 * every session id carries the shard it was created in (see `session_id.ts`),
 * but `create` and `listForUser` route by user id, so changing the hash would
 * split a user's sessions across two shards.
 */

/** Number of SessionStore shards. Changing it re-routes every user: never change it in place. */
export const SESSION_SHARD_COUNT = 100

const FNV_OFFSET_BASIS = 0x811c9dc5
const FNV_PRIME = 0x01000193

/**
 * 32-bit FNV-1a over the UTF-8 bytes of `userId`, finished with the murmur3
 * `fmix32` avalanche so that ids differing only in their last characters
 * (user-1, user-2, …) spread over every residue, then reduced mod 100.
 * Synchronous and dependency-free, so the entrypoint routes without awaiting
 * WebCrypto.
 */
export const sessionShardFor = (userId: string): number => {
  let hash = FNV_OFFSET_BASIS
  for (const byte of new TextEncoder().encode(userId)) {
    hash ^= byte
    hash = Math.imul(hash, FNV_PRIME)
  }
  hash ^= hash >>> 16
  hash = Math.imul(hash, 0x85ebca6b)
  hash ^= hash >>> 13
  hash = Math.imul(hash, 0xc2b2ae35)
  hash ^= hash >>> 16
  return (hash >>> 0) % SESSION_SHARD_COUNT
}

/** The Durable Object name of shard `shard` (`idFromName("session-shard-N")`). */
export const sessionShardName = (shard: number): string => `session-shard-${shard}`
