/**
 * Shard functions of the tokens Durable Objects. All are pure and stable
 * across deployments: changing one strands every live code, family or
 * revocation in a shard nobody asks any more, so treat them as wire formats.
 *
 * - AuthorizationCodeStore: `ac<NN>`, NN = 00..31, chosen at random when the code
 *   is made and written into the code itself (`ac<NN>_<secret>`).
 * - RefreshTokenRotator: `rt:<clientId>:<k>`, k = stableHash32(familyId) mod 8;
 *   the family id travels in the refresh token, the client id is the
 *   authenticated client, so the shard needs no lookup.
 * - TokenRevocationStore: `rv<NN>`, NN = stableHash32(jti) mod 32.
 * - RefreshFamilyIndex: `uf<NN>`, NN = stableHash32(userId) mod 32; every
 *   family of one user is listed in one shard, so "revoke all" is one lookup.
 */
import { stableHash32 } from "@authrim/platform"

/** Number of AuthorizationCodeStore shards. */
export const codeShardCount = 32
/** RefreshTokenRotator shards per client (spreads one hot client over 8 objects). */
export const refreshShardsPerClient = 8
/** Number of TokenRevocationStore shards. */
export const revocationShardCount = 32
/** Number of RefreshFamilyIndex shards (user → families). */
export const familyIndexShardCount = 32

const encoder = new TextEncoder()

const twoDigits = (n: number): string => n.toString().padStart(2, "0")

/** Name of the code shard with index `index` (0 ≤ index < 32). */
export const codeShardName = (index: number): string => `ac${twoDigits(index)}`

/** A uniformly random code shard index (rejection-free: 32 divides 256). */
export const randomCodeShardIndex = (): number => crypto.getRandomValues(new Uint8Array(1))[0]! % codeShardCount

/** Index (0..7) of a family's shard within its client. */
export const refreshShardIndex = (familyId: string): number => stableHash32(familyId) % refreshShardsPerClient

/** RefreshTokenRotator object name for a family of a client. */
export const refreshShardName = (clientId: string, familyId: string): string =>
  `rt:${clientId}:${refreshShardIndex(familyId)}`

/** Index (0..31) of the revocation shard of a jti. */
export const revocationShardIndex = (jti: string): number => stableHash32(jti) % revocationShardCount

/** TokenRevocationStore object name for a jti. */
export const revocationShardName = (jti: string): string => `rv${twoDigits(revocationShardIndex(jti))}`

/** Index (0..31) of the family-index shard of a user. */
export const familyIndexShardIndex = (userId: string): number => stableHash32(userId) % familyIndexShardCount

/** RefreshFamilyIndex object name for a user. */
export const familyIndexShardName = (userId: string): string => `uf${twoDigits(familyIndexShardIndex(userId))}`
