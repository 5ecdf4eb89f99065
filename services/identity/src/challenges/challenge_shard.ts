/**
 * ChallengeStore routing. A challenge id is `c<shard>_<43 chars base64url>`
 * (shard 0–63, 256 random bits), so any holder of the id reaches its shard
 * without a lookup; the id is not secret-bearing beyond its randomness and the
 * shard prefix reveals nothing about the user. 64 shards × ~1,000 req/s each
 * covers 10 K–100 K concurrent flows (DESIGN §6).
 */
import { base64url, randomBytes, stableHash32 } from "@authrim/platform"

/** Number of ChallengeStore objects. Changing it re-routes nothing already issued (the id names its shard). */
export const CHALLENGE_SHARDS = 64

/** The shard of a user's challenges: a stable hash of the user id. */
export const challengeShardForUser = (userId: string): number => stableHash32(userId) % CHALLENGE_SHARDS

/** A new challenge id: on the user's shard when there is a user, else on a random one. */
export const newChallengeId = (userId: string | null): string => {
  const shard = userId === null ? (randomBytes(1)[0] ?? 0) % CHALLENGE_SHARDS : challengeShardForUser(userId)
  return `c${shard}_${base64url(randomBytes(32))}`
}

const idPattern = /^c(0|[1-9][0-9]?)_[A-Za-z0-9_-]{43}$/

/** The shard named in a challenge id, or null for anything this code did not mint. */
export const shardOfChallengeId = (id: string): number | null => {
  const match = idPattern.exec(id)
  if (match === null) return null
  const shard = Number(match[1])
  return shard < CHALLENGE_SHARDS ? shard : null
}

/** Durable Object name of a shard. */
export const challengeShardName = (shard: number): string => `challenge-shard-${shard}`

/** Shortest transaction id accepted: the edge mints 32 random bytes (43 base64url characters). */
const transactionIdPattern = /^[A-Za-z0-9_-]{43,128}$/

/**
 * The shard of a sealed transaction's single-use record: a stable hash of its
 * id (the edge mints the id, so it carries no shard prefix), or null for a
 * malformed id.
 */
export const transactionShardFor = (id: string): number | null =>
  transactionIdPattern.test(id) ? stableHash32(`tx:${id}`) % CHALLENGE_SHARDS : null
