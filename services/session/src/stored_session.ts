/**
 * A session as the shard keeps it: the public `Session` plus the hash of its
 * cookie secret, which never leaves this service.
 */
import type { Session } from "@authrim/contracts"

/** One session in the hot set or decoded from its D1 row. */
export interface StoredSession {
  readonly session: Session
  /** base64url(SHA-256(cookie secret)). */
  readonly secretHash: string
}

/** Live means strictly before `expiresAt`: a session is dead at its expiry instant. */
export const isLive = (stored: StoredSession, now: number): boolean => now < stored.session.expiresAt
