/**
 * Change of a user's email address (migration `0010_email_change_tokens.sql`).
 *
 * `requestEmailChange` mails a link to the NEW address: 32 random bytes,
 * only the SHA-256 stored, single use, 30 minutes; a new request drops the
 * user's older unused links. The answer is the same whether the address is
 * free or another account's (no enumeration): a taken address's link fails
 * when opened. The current address is told that a change was asked for.
 *
 * `confirmEmailChange` is ONE D1 batch (a transaction): claim the token
 * (conditional UPDATE, attempt id in `consumed_by` so a retried batch
 * recognises its own claim), read the old address, set the new one (verified)
 * unless another user has it, drop the user's other unused change links and
 * reset links (those went to the old address). Concurrent opens of one link
 * have exactly one winner; two users racing for one address end with one
 * owner (the `NOT EXISTS` guard inside the serialised write, backed by the
 * unique index on `users.email`).
 */
import { EmailAddressTaken, NotFound, OAuthError, tryD1, type SecurityEventOrigin } from "@authrim/contracts"
import { Clock, Effect } from "effect"
import { emailSender } from "./email_sender.ts"
import { emailChangeVerificationEmail, linkWithToken } from "./email_templates.ts"
import { emailLanguageOf } from "./email_language.ts"
import { IdentityBindings, serviceName } from "../identity_bindings.ts"
import { sha256Hex } from "@authrim/platform"
import { newLinkSecret } from "./one_time_secret.ts"
import { securityEvent } from "../security_event.ts"
import { securityNotice } from "./security_notification.ts"
import { findUserRow } from "../users/users.ts"
import { brandedEmail } from "./email_branding.ts"

/** A change link lives 30 minutes: shorter than a reset link, the user is signed in and waiting for it. */
export const EMAIL_CHANGE_TTL_SECONDS = 30 * 60

/** Deliberately loose (as `upsertUser`): the mailed link proves the address works. */
const plausibleEmail = /^[^\s@]{1,64}@[^\s@]{1,255}$/
const tokenShape = /^[A-Za-z0-9_-]{43}$/

/** Mails the verification link to `newEmail` (same answer for taken and free addresses). */
export const requestEmailChange = Effect.fnUntraced(function*(input: {
  readonly userId: string
  readonly newEmail: string
  readonly verifyUrl: string
  readonly origin: SecurityEventOrigin
  readonly locale?: string | undefined
}) {
  const sender = yield* emailSender
  const language = emailLanguageOf(input.locale)
  if (!URL.canParse(input.verifyUrl)) return yield* new OAuthError({ code: "invalid_request", description: "verifyUrl is not an absolute URL" })
  const newEmail = input.newEmail.trim()
  if (!plausibleEmail.test(newEmail)) return yield* new OAuthError({ code: "invalid_request", description: "enter a valid email address" })
  const user = yield* findUserRow(input.userId)
  if (user.email.toLowerCase() === newEmail.toLowerCase()) {
    return yield* new OAuthError({ code: "invalid_request", description: "that is already your email address" })
  }
  const { db } = yield* IdentityBindings
  const token = newLinkSecret()
  const tokenHash = yield* sha256Hex(token)
  const now = yield* Clock.currentTimeMillis
  // Idempotent as a whole: a replay deletes and re-inserts the same row.
  yield* tryD1(serviceName, "email_change_tokens.issue", () =>
    db.batch([
      db.prepare("DELETE FROM email_change_tokens WHERE (user_id = ?1 AND used_at IS NULL) OR expires_at <= ?2").bind(user.id, now),
      db.prepare(
        `INSERT INTO email_change_tokens (token_hash, user_id, new_email, expires_at, used_at, consumed_by, created_at)
         VALUES (?1, ?2, ?3, ?4, NULL, NULL, ?5) ON CONFLICT (token_hash) DO NOTHING`
      ).bind(tokenHash, user.id, newEmail, now + EMAIL_CHANGE_TTL_SECONDS * 1000, now)
    ]))
  yield* securityEvent({ event: "email_change_requested", userId: user.id, origin: input.origin })
  yield* sender.send(yield* brandedEmail(emailChangeVerificationEmail(newEmail, linkWithToken(input.verifyUrl, token), EMAIL_CHANGE_TTL_SECONDS / 60, language), language))
  yield* sender.send(yield* brandedEmail(securityNotice(user.email, "email_change_requested", language), language))
  return {}
})

/** Opens a change link: the address changes, the old address is told. */
export const confirmEmailChange = Effect.fnUntraced(function*(input: {
  readonly token: string
  readonly origin: SecurityEventOrigin
  readonly locale?: string | undefined
}) {
  const sender = yield* emailSender
  if (!tokenShape.test(input.token)) return yield* new NotFound({ what: "email change link" })
  const { db } = yield* IdentityBindings
  const tokenHash = yield* sha256Hex(input.token)
  const attempt = crypto.randomUUID()
  const now = yield* Clock.currentTimeMillis
  const claimed = "FROM email_change_tokens WHERE token_hash = ?1 AND consumed_by = ?2"
  const [claim, old, update] = yield* tryD1(serviceName, "email_change_tokens.use", () =>
    db.batch<{ user_id?: string; new_email?: string; email?: string }>([
      db.prepare(
        `UPDATE email_change_tokens SET used_at = ?3, consumed_by = ?2
         WHERE token_hash = ?1 AND expires_at > ?3 AND (used_at IS NULL OR consumed_by = ?2)
         RETURNING user_id, new_email`
      ).bind(tokenHash, attempt, now),
      db.prepare(`SELECT email FROM users WHERE id = (SELECT user_id ${claimed})`).bind(tokenHash, attempt),
      db.prepare(
        `UPDATE users SET email = (SELECT new_email ${claimed}), email_verified = 1, updated_at = ?3
         WHERE id = (SELECT user_id ${claimed})
           AND NOT EXISTS (SELECT 1 FROM users other WHERE other.email = (SELECT new_email ${claimed}) COLLATE NOCASE
                           AND other.id != (SELECT user_id ${claimed}))
         RETURNING email`
      ).bind(tokenHash, attempt, now),
      db.prepare(
        `DELETE FROM email_change_tokens WHERE user_id = (SELECT user_id ${claimed}) AND used_at IS NULL
           AND EXISTS (SELECT 1 FROM users WHERE id = (SELECT user_id ${claimed}) AND email = (SELECT new_email ${claimed}))`
      ).bind(tokenHash, attempt),
      db.prepare(
        `DELETE FROM password_reset_tokens WHERE user_id = (SELECT user_id ${claimed}) AND used_at IS NULL
           AND EXISTS (SELECT 1 FROM users WHERE id = (SELECT user_id ${claimed}) AND email = (SELECT new_email ${claimed}))`
      ).bind(tokenHash, attempt)
    ]))
  const userId = claim?.results[0]?.user_id
  if (userId === undefined) return yield* new NotFound({ what: "email change link" })
  const email = update?.results[0]?.email
  if (email === undefined) return yield* new EmailAddressTaken()
  const oldEmail = old?.results[0]?.email
  yield* securityEvent({ event: "email_changed", userId, origin: input.origin })
  // The OLD address is told (a hijacker who changed it must not be the only one to know); a retried
  // batch that already committed reads the new address as "old", and then there is nobody else to tell.
  if (oldEmail !== undefined && oldEmail.toLowerCase() !== email.toLowerCase()) {
    yield* sender.send(yield* brandedEmail(securityNotice(oldEmail, "email_changed", emailLanguageOf(input.locale), email), emailLanguageOf(input.locale)))
  }
  return { userId, email }
})
