/**
 * Users in D1 `users`: create-or-update by email (case-insensitive through the
 * `email COLLATE NOCASE` unique index), read by id, and password sign-in.
 */
import { InvalidCredentials, NotFound, OAuthError, tryD1, Unavailable } from "@authrim/contracts"
import { Clock, Effect } from "effect"
import { IdentityBindings, serviceName } from "../identity_bindings.ts"
import { auditSignInFailed, auditSignInSucceeded } from "../identity_audit.ts"
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from "../passwords/password_hash.ts"
import { checkNewPassword } from "../passwords/password_policy.ts"
import { currentSettings, requireSignInMethod } from "../settings/system_settings.ts"
import { userFromRow, type UserRow } from "./user_row.ts"

export interface UpsertUserInput {
  readonly email: string
  readonly password: string | null
  readonly name: string | null
  readonly emailVerified: boolean
}

/** Deliberately loose: the edge checks the form; this only rejects what cannot be an address. */
const plausibleEmail = /^[^\s@]+@[^\s@]+$/

/**
 * Creates or updates the user with this email. A null `password` keeps the
 * stored hash, a null `name` keeps the stored name; `emailVerified` is always
 * written. The single upsert statement is idempotent, so the D1 retry policy
 * may replay it.
 */
export const upsertUser = Effect.fnUntraced(function*(input: UpsertUserInput) {
  const email = input.email.trim()
  if (!plausibleEmail.test(email)) {
    return yield* new OAuthError({ code: "invalid_request", description: "email is not a valid address" })
  }
  const { db } = yield* IdentityBindings
  const password = input.password
  if (password !== null) yield* checkNewPassword(password)
  const passwordHash = password === null ? null : yield* hashPassword(password)
  const now = yield* Clock.currentTimeMillis
  const row = yield* tryD1(serviceName, "users.upsert", () =>
    db.prepare(
      `INSERT INTO users (id, email, name, picture, password_hash, email_verified, created_at, updated_at)
       VALUES (?1, ?2, ?3, NULL, ?4, ?5, ?6, ?6)
       ON CONFLICT (email COLLATE NOCASE) DO UPDATE SET
         name = COALESCE(excluded.name, users.name),
         password_hash = COALESCE(excluded.password_hash, users.password_hash),
         email_verified = excluded.email_verified,
         updated_at = excluded.updated_at
       RETURNING *`
    ).bind(crypto.randomUUID(), email, input.name, passwordHash, input.emailVerified ? 1 : 0, now).first<UserRow>())
  if (row === null) return yield* new Unavailable({ service: serviceName, reason: "users upsert returned no row" })
  return userFromRow(row)
})

/** Reads a user row by id; `NotFound` when absent. */
export const findUserRow = Effect.fnUntraced(function*(userId: string) {
  const { db } = yield* IdentityBindings
  const row = yield* tryD1(serviceName, "users.byId", () =>
    db.prepare("SELECT * FROM users WHERE id = ?").bind(userId).first<UserRow>())
  if (row === null) return yield* new NotFound({ what: "user" })
  return row
})

/** A user profile by id. */
export const getUser = (userId: string) => findUserRow(userId).pipe(Effect.map(userFromRow))

/**
 * Email + password sign-in. Unknown emails and password-less users verify
 * against a dummy hash, so every failure costs one PBKDF2 run and all look
 * alike (`InvalidCredentials`).
 */
export const authenticatePassword = Effect.fnUntraced(function*(input: { readonly email: string; readonly password: string }) {
  // Refused before any PBKDF2 run when password sign-in is turned off (settings `signInMethods.password`).
  yield* requireSignInMethod("password")
  const { db } = yield* IdentityBindings
  // The TOTP status comes with the user (one query): the sign-in needs it next (second factor or not).
  const row = yield* tryD1(serviceName, "users.byEmail", () =>
    db.prepare(
      `SELECT u.*, EXISTS (SELECT 1 FROM user_totp t WHERE t.user_id = u.id AND t.confirmed_at IS NOT NULL) AS totp_enabled
       FROM users u WHERE u.email = ? COLLATE NOCASE`
    ).bind(input.email.trim()).first<UserRow & { totp_enabled: number; disabled_at: number | null }>())
  const stored = row?.password_hash ?? null
  const matches = yield* verifyPassword(input.password, stored ?? DUMMY_PASSWORD_HASH)
  // A disabled account (issue 12) fails like a wrong password, after the same PBKDF2 run: the form does not tell a stranger it exists.
  const disabled = row !== null && row.disabled_at !== null
  if (row === null || stored === null || !matches || disabled) {
    // The operator-only log says why; the caller sees the same InvalidCredentials for all four.
    const reason = row === null ? "unknown_user" : stored === null ? "no_password" : !matches ? "wrong_password" : "account_disabled"
    yield* auditSignInFailed({ method: "password", reason, userId: row?.id ?? null, email: input.email.trim() })
    return yield* new InvalidCredentials()
  }
  const totpEnabled = row.totp_enabled === 1
  // Settings `mfaRequired`: a password alone is never enough. Told only after the password verified,
  // so it says nothing about an account to someone who does not know its password.
  if (!totpEnabled && (yield* currentSettings).mfaRequired) {
    yield* auditSignInFailed({ method: "password", reason: "second_factor_required", userId: row.id, email: input.email.trim() })
    return yield* new OAuthError({
      code: "access_denied",
      description: "Two-step verification is required: sign in with a passkey, then set up an authenticator app on your account page."
    })
  }
  yield* auditSignInSucceeded({ method: "password", userId: row.id, amr: ["pwd"], details: { second_factor_required: totpEnabled } })
  return { ...userFromRow(row), totpEnabled }
})
