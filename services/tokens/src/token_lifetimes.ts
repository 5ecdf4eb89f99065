import { SystemSettings } from "@authrim/contracts"
import { Effect } from "effect"

/**
 * Lifetimes and limits of what the tokens service issues. Each is documented
 * where it is defined (what, why, which spec); the numbers come from DESIGN §2.
 */

/** Authorization code lifetime: 60 s. RFC 6749 §4.1.2 recommends at most 10 minutes; short limits replay windows. */
export const authorizationCodeTtlMs = 60_000

/**
 * How long a redeemed code row is kept for replay detection. A replay must be
 * able to revoke the access token the first redemption issued (RFC 6749 §4.1.2),
 * so the row outlives that token's lifetime.
 */
export const redeemedCodeRetentionMs = 3_600_000

/** Access token (RFC 9068 JWT) lifetime: 1 h. Short because it is a bearer credential verified without a round trip. */
export const accessTokenTtlMs = 3_600_000

/** ID token lifetime: 1 h (OIDC Core §2 leaves it to the OP; it only proves the authentication event). */
export const idTokenTtlMs = 3_600_000

/** Refresh-token family lifetime: 30 days from creation, absolute (rotation does not extend it). */
export const refreshFamilyTtlMs = 30 * 24 * 3_600_000

/** How many rotated-out refresh tokens a family remembers, so their reuse is detected (DESIGN §2). */
export const refreshPreviousTokensKept = 5

/**
 * Purges of a RefreshTokenRotator or RefreshFamilyIndex shard are at least a
 * day apart. Their tables carry no index on expiry (issue 10: each index entry
 * is a billed row on every new family), so a purge scans the shard; daily keeps
 * that cheap. Late purging is harmless: every read checks expiry itself.
 */
export const familyPurgeSpacingMs = 24 * 3_600_000

/**
 * The lifetimes in force (issue 12 §5): the settings' access / ID / refresh
 * lifetimes in ms (defaults = the constants above). Read through this
 * isolate's copy of the settings (contracts/src/settings_cache.ts): no KV
 * read per token, at most one per isolate per SETTINGS_MEMORY_TTL_MS.
 */
export const configuredLifetimes = Effect.flatMap(SystemSettings, (reader) => Effect.map(reader.current, (settings) => ({
  accessTokenTtlMs: settings.accessTokenLifetimeSeconds * 1000,
  idTokenTtlMs: settings.idTokenLifetimeSeconds * 1000,
  /** Never above {@link refreshFamilyTtlMs}: the RefreshTokenRotator's own ceiling. */
  refreshFamilyTtlMs: Math.min(settings.refreshTokenLifetimeSeconds * 1000, refreshFamilyTtlMs)
})))
