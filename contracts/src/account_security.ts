/**
 * Account security contract, implemented by `IdentityService` next to
 * `IdentityContract`: what a step-up re-authentication must use, the
 * notification (email + audit record) of every security change, and the
 * change of a user's email address through a link mailed to the new address.
 *
 * The identity service owns the email and the audit record of a change: the
 * edge names the event and who/where it came from, identity sends the
 * notification through the configured transport and records the event.
 */
import { Schema } from "effect"
import { NotFound, OAuthError, Unavailable } from "./errors.ts"
import { EmailLocale } from "./email_login.ts"
import { rpcMethod, type RpcInterface } from "./rpc.ts"
import { contractVersion } from "./contract_version.ts"

/** Security-relevant account changes a user is notified of (and that are audited). */
export const SecurityEventType = Schema.Literals([
  "passkey_added",
  "passkey_removed",
  "totp_enabled",
  "totp_disabled",
  "recovery_codes_regenerated",
  "password_changed",
  "password_reset",
  "email_change_requested",
  "email_changed"
])
/** Type of {@link SecurityEventType}. */
export type SecurityEventType = typeof SecurityEventType.Type

/** Who caused an event, for the audit record: the session and the client IP (null when unknown). */
export const SecurityEventOrigin = Schema.Struct({
  sessionId: Schema.NullOr(Schema.String),
  ipAddress: Schema.NullOr(Schema.String)
})
/** Type of {@link SecurityEventOrigin}. */
export type SecurityEventOrigin = typeof SecurityEventOrigin.Type

/** The sign-in methods a user has: what a step-up re-authentication must use ("the strongest the account has"). */
export const SignInMethods = Schema.Struct({
  /** Registered passkeys. */
  passkeys: Schema.Number,
  /** The user has a password. */
  password: Schema.Boolean,
  /** A confirmed TOTP second factor. */
  totp: Schema.Boolean
})
/** Type of {@link SignInMethods}. */
export type SignInMethods = typeof SignInMethods.Type

/**
 * An email-change link whose new address belongs to another account by the
 * time it is opened. Only the link says so — the request form answers the
 * same for taken and free addresses (no account enumeration).
 */
export class EmailAddressTaken extends Schema.TaggedError<EmailAddressTaken>()("EmailAddressTaken", {}) {}

/** Method schemas of the account-security part of the identity service. */
export const AccountSecurityContract = {
  /** The user's sign-in methods (one D1 read). `NotFound` for an unknown user. */
  getSignInMethods: rpcMethod(Schema.Struct({ userId: Schema.String }), SignInMethods, Schema.Union([NotFound, Unavailable])),
  /**
   * Tells the user about a security change of their account: an email to
   * their current address through the configured transport, and the audit
   * record (today one structured log line; the audit queue later).
   */
  notifySecurityChange: rpcMethod(
    Schema.Struct({ userId: Schema.String, event: SecurityEventType, origin: SecurityEventOrigin, locale: EmailLocale }),
    Schema.Struct({}),
    Schema.Union([NotFound, Unavailable])
  ),
  /**
   * Mails a verification link (`verifyUrl` + `?token=…`, single use, 30 minutes,
   * stored only as a SHA-256) to `newEmail`. The same empty answer whether or
   * not the address is taken: a taken address's link fails when opened.
   * `invalid_request` for something that is not an address, or the current one.
   */
  requestEmailChange: rpcMethod(
    Schema.Struct({ userId: Schema.String, newEmail: Schema.String, verifyUrl: Schema.String, origin: SecurityEventOrigin, locale: EmailLocale }),
    Schema.Struct({}),
    Schema.Union([NotFound, OAuthError, Unavailable])
  ),
  /**
   * Opens an email-change link: the user's address becomes the new one
   * (verified), the old address is notified, outstanding reset links are
   * dropped. Exactly one of concurrent uses wins. `NotFound` for an unknown,
   * used or expired link; `EmailAddressTaken` when another account has the
   * address now (the link is then used up).
   */
  confirmEmailChange: rpcMethod(
    Schema.Struct({ token: Schema.String, origin: SecurityEventOrigin, locale: EmailLocale }),
    Schema.Struct({ userId: Schema.String, email: Schema.String }),
    Schema.Union([NotFound, EmailAddressTaken, Unavailable])
  )
} as const
export const AccountSecurityContractVersion = contractVersion(AccountSecurityContract, { name: "account_security", version: 1 })

/** RPC interface of the account-security methods of `IdentityService`. */
export type AccountSecurityRpc = RpcInterface<typeof AccountSecurityContract>
