/**
 * Which local user an upstream account signs in as (`user_identities`):
 *   1. an existing link (provider, subject) → that user;
 *   2. else a local user with the same email — linked ONLY when the upstream
 *      says the email is verified AND the local account's email is verified
 *      (otherwise whoever controls an unverified address at some provider could
 *      take over the local account); if either side is unverified the sign-in
 *      is refused with a clear message rather than creating a duplicate;
 *   3. else a new user, created together with its link in one D1 batch.
 * Concurrent first sign-ins of one upstream account race on the link's primary
 * key: every one of them ends up with the same user (the batch creates the user
 * only together with the link, and everyone re-reads the link).
 */
import { OAuthError, tryD1 } from "@authrim/contracts"
import { Clock, Effect } from "effect"
import type { UpstreamAccount } from "./upstream_claims.ts"
import { UpstreamBindings, upstreamServiceName } from "./upstream_bindings.ts"

/** How the account was matched (see the contract's `UpstreamResolution`). */
export type Resolution = "existing_link" | "linked_by_verified_email" | "created"

const readLink = (db: D1Database, providerId: string, subject: string) =>
  tryD1(upstreamServiceName, "user_identities.byKey", () =>
    db.prepare("SELECT user_id FROM user_identities WHERE provider_id = ? AND subject = ?").bind(providerId, subject).first<{ user_id: string }>())

const refused = (description: string) => new OAuthError({ code: "access_denied", description })

/** Resolves (and if needed links or creates) the local user of `account` at `providerId`. */
export const resolveUpstreamUser = Effect.fnUntraced(function*(providerId: string, account: UpstreamAccount) {
  const { db } = yield* UpstreamBindings
  const now = yield* Clock.currentTimeMillis
  const linked = yield* readLink(db, providerId, account.subject)
  if (linked !== null) {
    yield* tryD1(upstreamServiceName, "user_identities.touch", () =>
      db.prepare("UPDATE user_identities SET last_used_at = ? WHERE provider_id = ? AND subject = ?").bind(now, providerId, account.subject).run())
    return { userId: linked.user_id, resolution: "existing_link" as Resolution }
  }
  if (account.email === null) {
    return yield* refused("the identity provider did not share an email address, which this account needs")
  }
  const email = account.email
  const local = yield* tryD1(upstreamServiceName, "users.byEmail", () =>
    db.prepare("SELECT id, email_verified FROM users WHERE email = ? COLLATE NOCASE").bind(email).first<{ id: string; email_verified: number }>())
  if (local !== null && !(account.emailVerified && local.email_verified === 1)) {
    return yield* refused(
      "an account with this email address already exists and the address is not verified on both sides; sign in with your existing method first"
    )
  }
  const link = `INSERT INTO user_identities (provider_id, subject, user_id, email, created_at, last_used_at)
                SELECT ?1, ?2, id, ?3, ?4, ?4 FROM users WHERE id = ?5 ON CONFLICT DO NOTHING`
  const newId = crypto.randomUUID()
  if (local !== null) {
    yield* tryD1(upstreamServiceName, "user_identities.linkByEmail", () =>
      db.prepare(link).bind(providerId, account.subject, email, now, local.id).run())
  } else {
    yield* tryD1(upstreamServiceName, "users.createWithLink", () =>
      db.batch([
        db.prepare(
          `INSERT INTO users (id, email, name, picture, password_hash, email_verified, created_at, updated_at)
           VALUES (?1, ?2, ?3, NULL, NULL, ?4, ?5, ?5) ON CONFLICT DO NOTHING`
        ).bind(newId, email, account.name, account.emailVerified ? 1 : 0, now),
        db.prepare(link).bind(providerId, account.subject, email, now, newId)
      ]))
  }
  const after = yield* readLink(db, providerId, account.subject)
  if (after === null) {
    // Our new user lost its email to a concurrent sign-up of another account: nothing was linked.
    return yield* refused("an account with this email address was just created; sign in again")
  }
  const resolution: Resolution = after.user_id === newId ? "created"
    : local !== null && after.user_id === local.id ? "linked_by_verified_email"
    : "existing_link"
  return { userId: after.user_id, resolution }
})
