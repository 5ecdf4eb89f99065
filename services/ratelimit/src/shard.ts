/**
 * Shard routing of `RateLimiterCounter` (DESIGN §2: 1000 shards by a stable
 * hash of the key). Pure and stable across deployments: changing it would
 * silently reset every live window, so the vectors in `test/shard.test.ts`
 * pin it.
 *
 *   shard = (first 4 bytes of SHA-256(UTF-8 key), big-endian) mod 1000
 *
 * Why SHA-256 and not FNV-1a: FNV-1a's low bits depend only on the low bits
 * of each input byte, and 1000 = 8 · 125, so `fnv1a % 1000` routed 50,000
 * sequential IPv4 keys measurably unevenly (χ² ≈ 1295 against a 99.9 %
 * bound of ≈ 1143 for 999 degrees of freedom). A SHA-256 prefix has no such
 * structure and is reproducible in any language. Web Crypto makes it async
 * (an Effect here, `sha256Bytes` of @authrim/platform); it is still a pure
 * function of the key (one native digest, microseconds).
 * The modulo bias of 2³² mod 1000 is below one part in four million.
 */
import { sha256Bytes } from "@authrim/platform"
import { Effect } from "effect"

/** Number of `RateLimiterCounter` shards. Part of the routing contract — never change in place. */
export const RATE_LIMIT_SHARDS = 1000

/** The shard (0 … 999) that counts `key`. */
export const rateLimitShardFor = (key: string): Effect.Effect<number> =>
  sha256Bytes(key).pipe(Effect.map((digest) => new DataView(digest.buffer, digest.byteOffset, 4).getUint32(0) % RATE_LIMIT_SHARDS))

/** Durable Object name of a shard (`idFromName` input): `ratelimit-shard-<n>`. */
export const rateLimitShardName = (shard: number): string => `ratelimit-shard-${shard}`
