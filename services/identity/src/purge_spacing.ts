/**
 * Purges of one identity Durable Object (ChallengeStore, AssertionJtiStore)
 * are at least this far apart. Each alarm is a billed Durable Object request;
 * re-arming at the very next expiry would, on a busy shard, run one per stored
 * item. Purging late is harmless: every read checks expiry itself.
 */
export const MIN_PURGE_SPACING_MS = 60_000
