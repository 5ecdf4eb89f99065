/**
 * AssertionJtiStore routing: a stable hash of the client id, so every
 * assertion of one client meets the same object (a jti is unique per
 * issuer, i.e. per client) and clients spread over 32 objects.
 */
import { stableHash32 } from "@authrim/platform"

/** Number of AssertionJtiStore objects; changing it forgets recorded jtis (they live ≤ 10 minutes). */
export const ASSERTION_JTI_SHARDS = 32

/** Durable Object name of the client's shard. */
export const assertionJtiShardName = (clientId: string): string => `assertion-jti-${stableHash32(clientId) % ASSERTION_JTI_SHARDS}`
