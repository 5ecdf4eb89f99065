/**
 * Dynamic registration's `logo_uri`, `policy_uri` and `tos_uri` (RFC 7591 §2,
 * kept as given in `client_registrations.extra_metadata`) folded into the
 * `oauth_clients` columns the admin API sets (migration 0012), so the login and
 * consent pages show a registered client's links exactly like an admin-made
 * client's — one place to read them (the client record), not two.
 */
import type { ExtraMetadata } from "./registration_metadata.ts"

/** The statement that sets `clientId`'s page links from its registered metadata (absent members clear them, as RFC 7592 PUT replaces). */
export const registeredLinksStatement = (db: D1Database, clientId: string, extra: ExtraMetadata): D1PreparedStatement =>
  db.prepare("UPDATE oauth_clients SET logo_uri = ?, policy_uri = ?, tos_uri = ? WHERE client_id = ?")
    .bind(extra.logo_uri ?? null, extra.policy_uri ?? null, extra.tos_uri ?? null, clientId)
