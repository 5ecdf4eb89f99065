/**
 * Email sign-in and password recovery contract, implemented by the
 * `IdentityService` entrypoint of `services/identity` next to `IdentityContract`:
 * magic links (single use, 15 minutes, only SHA-256 hashes at rest, bound to
 * the browser that asked for them), password reset through
 * `password_reset_tokens` (single use, 1 hour), password change, and the
 * development outbox that tests and developers read sign-in emails from.
 *
 * Requests for an unknown email succeed exactly like known ones and send
 * nothing, so these methods never reveal whether an account exists.
 */
import { Schema } from "effect"
import { InvalidCredentials, NotFound, OAuthError, Unavailable } from "./errors.ts"
import { rpcMethod, type RpcInterface } from "./rpc.ts"
import { contractVersion } from "./contract_version.ts"

/**
 * The magic link is valid, but the browser redeeming it is not the one that
 * asked for it (its binding cookie is missing or different). The link stays
 * usable in the right browser, so a link forwarded to — or requested for — a
 * victim cannot sign an attacker's browser in.
 */
export class MagicLinkWrongBrowser extends Schema.TaggedError<MagicLinkWrongBrowser>()("MagicLinkWrongBrowser", {}) {}

/** One message in the development outbox (`EMAIL_TRANSPORT=outbox`). Times are epoch ms. */
export const OutboxMessage = Schema.Struct({
  id: Schema.String,
  to: Schema.String,
  subject: Schema.String,
  text: Schema.String,
  html: Schema.NullOr(Schema.String),
  createdAt: Schema.Number
})
/** Type of {@link OutboxMessage}. */
export type OutboxMessage = typeof OutboxMessage.Type

/**
 * The language of the email a request sends (BCP 47, e.g. `ja`): the page's language
 * at the edge. Optional (additive): absent or unsupported means English.
 */
export const EmailLocale = Schema.optional(Schema.String)

/** Method schemas of email sign-in and password recovery. */
export const EmailLoginContract = {
  /**
   * Mails a sign-in link for the login transaction `txId` to `email` when it
   * belongs to a user; succeeds the same way (sending nothing) when it does not.
   * `browserBinding` is the random value of the requesting browser's binding
   * cookie (stored only as its SHA-256); `verifyUrl` is the absolute URL the
   * link's `token` query parameter is appended to.
   */
  requestMagicLink: rpcMethod(
    Schema.Struct({ email: Schema.String, txId: Schema.String, browserBinding: Schema.String, verifyUrl: Schema.String, locale: EmailLocale }),
    Schema.Struct({}),
    Schema.Union([OAuthError, Unavailable])
  ),
  /**
   * Redeems a magic link: `NotFound` when the token is unknown, forged,
   * expired or already used; `MagicLinkWrongBrowser` (link left intact) when
   * `browserBinding` is not the requesting browser's. Exactly one of any number
   * of concurrent redemptions succeeds.
   */
  redeemMagicLink: rpcMethod(
    Schema.Struct({ token: Schema.String, browserBinding: Schema.NullOr(Schema.String) }),
    Schema.Struct({ userId: Schema.String, txId: Schema.String }),
    Schema.Union([NotFound, MagicLinkWrongBrowser, Unavailable])
  ),
  /**
   * Succeeds when mail can go out: the configured transport and its settings
   * are complete and allowed here; else `Misconfigured` naming the setting
   * (added by the envelope). Independent of any address, so the edge asks it
   * BEFORE answering a link request whose lookup and sending run after the
   * response (same answer and timing for known and unknown addresses), and a
   * broken deployment still shows the configuration error instead of a
   * "check your email" that never arrives.
   */
  checkEmailDelivery: rpcMethod(Schema.Struct({}), Schema.Struct({}), Unavailable),
  /**
   * Mails a password-reset link (`resetUrl` + `?token=…`, valid 1 hour) when
   * `email` belongs to a user; a new request invalidates the user's older
   * reset tokens. Unknown emails succeed the same way and nothing is sent.
   */
  requestPasswordReset: rpcMethod(
    Schema.Struct({ email: Schema.String, resetUrl: Schema.String, locale: EmailLocale }),
    Schema.Struct({}),
    Schema.Union([OAuthError, Unavailable])
  ),
  /**
   * Sets a new password with a reset token (single use: exactly one of
   * concurrent uses wins). `NotFound` for an unknown, used or expired token;
   * `OAuthError` `invalid_request` when the password breaks the policy (the
   * token is then not used up). The caller ends the user's sessions.
   * `removeSecondFactors` (absent: false) also deletes every passkey and the
   * TOTP factor with its recovery codes, in the same transaction as the reset.
   */
  resetPassword: rpcMethod(
    Schema.Struct({ token: Schema.String, newPassword: Schema.String, removeSecondFactors: Schema.optional(Schema.Boolean) }),
    Schema.Struct({ userId: Schema.String }),
    Schema.Union([NotFound, OAuthError, Unavailable])
  ),
  /**
   * Changes a signed-in user's password; `InvalidCredentials` when
   * `currentPassword` is wrong (or the user has no password), `OAuthError`
   * `invalid_request` when the new one breaks the policy. Outstanding reset
   * tokens of the user are invalidated.
   */
  changePassword: rpcMethod(
    Schema.Struct({ userId: Schema.String, currentPassword: Schema.String, newPassword: Schema.String }),
    Schema.Struct({}),
    Schema.Union([InvalidCredentials, NotFound, OAuthError, Unavailable])
  ),
  /**
   * The newest outbox messages (newest first, at most `limit`, default 20),
   * for one address or for all when `to` is null. `NotFound` unless the email
   * transport is the development outbox — never available in production.
   */
  readOutbox: rpcMethod(
    Schema.Struct({ to: Schema.NullOr(Schema.String), limit: Schema.optional(Schema.Number) }),
    Schema.Struct({ messages: Schema.Array(OutboxMessage) }),
    Schema.Union([NotFound, Unavailable])
  )
} as const
export const EmailLoginContractVersion = contractVersion(EmailLoginContract, { name: "email_login", version: 1 })

/** RPC interface of the email sign-in part of `IdentityService`. */
export type EmailLoginRpc = RpcInterface<typeof EmailLoginContract>
