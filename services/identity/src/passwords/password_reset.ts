/**
 * Password reset through D1 `password_reset_tokens` (DESIGN §2): the emailed
 * token is 32 random bytes, stored only as its SHA-256, valid 1 hour, single
 * use; a new request deletes the user's older unused tokens.
 *
 * Using a token is ONE D1 batch (a transaction): claim the token with a
 * conditional UPDATE, set the password of the user whose token this attempt
 * claimed, drop the user's other unused tokens. Concurrent uses therefore
 * have exactly one winner, and the password is never set without the token
 * being used up (or the reverse); when asked, the user's passkeys and TOTP
 * go in the same batch. The claim records a random attempt id in
 * `consumed_by`, so a retried batch whose first response was lost recognises
 * its own claim (the D1 retry policy needs idempotent writes).
 *
 * Audit: a request for a known account is `password.reset_requested` here;
 * the completed reset is `password.reset_completed`, recorded with its notice
 * (`notifySecurityChange` "password_reset", which the edge calls after it).
 */
import { NotFound, OAuthError, tryD1 } from "@authrim/contracts"
import { Clock, Effect } from "effect"
import { emailSender } from "../email/email_sender.ts"
import { linkWithToken, passwordResetEmail } from "../email/email_templates.ts"
import { emailLanguageOf } from "../email/email_language.ts"
import { IdentityBindings, serviceName } from "../identity_bindings.ts"
import { auditPasswordResetRequested } from "../identity_audit.ts"
import { sha256Hex } from "@authrim/platform"
import { newLinkSecret } from "../email/one_time_secret.ts"
import { hashPassword } from "./password_hash.ts"
import { checkNewPassword } from "./password_policy.ts"
import { findUserRowByEmail } from "../users/user_by_email.ts"
import { brandedEmail } from "../email/email_branding.ts"

/** A reset link lives 1 hour (OWASP Forgot Password Cheat Sheet: short-lived, single use). */
export const PASSWORD_RESET_TTL_SECONDS = 60 * 60

const tokenShape = /^[A-Za-z0-9_-]{43}$/

/** Mails a reset link when `email` is a user's; unknown emails get the same empty answer and nothing is sent. */
export const requestPasswordReset = Effect.fnUntraced(function*(input: {
  readonly email: string
  readonly resetUrl: string
  readonly locale?: string | undefined
}) {
  const sender = yield* emailSender
  if (!URL.canParse(input.resetUrl)) return yield* new OAuthError({ code: "invalid_request", description: "resetUrl is not an absolute URL" })
  const user = yield* findUserRowByEmail(input.email)
  if (user === null) return {}
  const { db } = yield* IdentityBindings
  const token = newLinkSecret()
  const tokenHash = yield* sha256Hex(token)
  const now = yield* Clock.currentTimeMillis
  // Idempotent as a whole: a replay deletes and re-inserts the same row.
  yield* tryD1(serviceName, "password_reset_tokens.issue", () =>
    db.batch([
      db.prepare("DELETE FROM password_reset_tokens WHERE (user_id = ?1 AND used_at IS NULL) OR expires_at <= ?2").bind(user.id, now),
      db.prepare(
        `INSERT INTO password_reset_tokens (token_hash, user_id, expires_at, used_at, created_at)
         VALUES (?1, ?2, ?3, NULL, ?4) ON CONFLICT (token_hash) DO NOTHING`
      ).bind(tokenHash, user.id, now + PASSWORD_RESET_TTL_SECONDS * 1000, now)
    ]))
  const language = emailLanguageOf(input.locale)
  yield* sender.send(yield* brandedEmail(passwordResetEmail(user.email, linkWithToken(input.resetUrl, token), PASSWORD_RESET_TTL_SECONDS / 60, language), language))
  yield* auditPasswordResetRequested(user.id)
  return {}
})

/**
 * Sets the password with a reset token; `NotFound` for an unknown, used or
 * expired one. `removeSecondFactors`: the same batch also deletes every
 * passkey and the TOTP factor with its recovery codes of the claimed user —
 * all or nothing with the reset (the user who lost a device recovers in one step).
 */
export const resetPassword = Effect.fnUntraced(function*(input: {
  readonly token: string
  readonly newPassword: string
  readonly removeSecondFactors?: boolean | undefined
}) {
  // Policy first: a rejected password must not use the token up.
  yield* checkNewPassword(input.newPassword)
  if (!tokenShape.test(input.token)) return yield* new NotFound({ what: "password reset token" })
  const { db } = yield* IdentityBindings
  const tokenHash = yield* sha256Hex(input.token)
  const passwordHash = yield* hashPassword(input.newPassword)
  const attempt = crypto.randomUUID()
  const now = yield* Clock.currentTimeMillis
  const claimedUser = "(SELECT user_id FROM password_reset_tokens WHERE token_hash = ?1 AND consumed_by = ?2)"
  const [claim] = yield* tryD1(serviceName, "password_reset_tokens.use", () =>
    db.batch<{ user_id: string }>([
      db.prepare(
        `UPDATE password_reset_tokens SET used_at = ?3, consumed_by = ?2
         WHERE token_hash = ?1 AND expires_at > ?3 AND (used_at IS NULL OR consumed_by = ?2)
         RETURNING user_id`
      ).bind(tokenHash, attempt, now),
      db.prepare(`UPDATE users SET password_hash = ?3, updated_at = ?4 WHERE id = ${claimedUser}`).bind(tokenHash, attempt, passwordHash, now),
      db.prepare(`DELETE FROM password_reset_tokens WHERE user_id = ${claimedUser} AND used_at IS NULL`).bind(tokenHash, attempt),
      ...(input.removeSecondFactors === true
        ? ["passkeys", "user_recovery_codes", "user_totp"].map((table) =>
          db.prepare(`DELETE FROM ${table} WHERE user_id = ${claimedUser}`).bind(tokenHash, attempt))
        : [])
    ]))
  const userId = claim?.results[0]?.user_id
  if (userId === undefined) return yield* new NotFound({ what: "password reset token" })
  return { userId }
})
