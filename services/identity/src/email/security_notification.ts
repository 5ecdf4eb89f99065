/**
 * `notifySecurityChange`: a user is told by email (current address, configured
 * transport) about every security change of their account, and the change is
 * recorded for the audit trail (`security_event.ts`). The audit record is
 * written first: it must exist even when the email cannot be sent (the send
 * failure is then the caller's `Unavailable`).
 */
import type { SecurityEventOrigin, SecurityEventType } from "@authrim/contracts"
import { Effect } from "effect"
import { emailSender } from "./email_sender.ts"
import { securityNoticeEmail } from "./email_templates.ts"
import { securityEvent } from "../security_event.ts"
import { findUserRow } from "../users/users.ts"

/** Subject and sentence of each notice. */
const notices: Record<SecurityEventType, { readonly subject: string; readonly what: string }> = {
  passkey_added: { subject: "A passkey was added to your account", what: "A new passkey was added to your account." },
  passkey_removed: { subject: "A passkey was removed from your account", what: "A passkey was removed from your account." },
  totp_enabled: { subject: "Two-step verification is on", what: "Two-step verification (authenticator app codes) was turned on for your account." },
  totp_disabled: { subject: "Two-step verification was turned off", what: "Two-step verification was turned off for your account." },
  recovery_codes_regenerated: {
    subject: "New recovery codes were made",
    what: "New recovery codes were made for your account; the previous ones no longer work."
  },
  password_changed: { subject: "Your password was changed", what: "The password of your account was changed." },
  password_reset: {
    subject: "Your password was reset",
    what: "The password of your account was reset with an emailed link, and every session of the account was signed out."
  },
  email_change_requested: {
    subject: "A change of your email address was requested",
    what: "Someone signed in to your account asked to change its email address. Nothing changes unless the link sent to the new address is opened."
  },
  email_changed: { subject: "Your email address was changed", what: "The email address of your account was changed." }
}

/** The notice email of `event` to `to` (also used by the email change, which writes to the OLD address). */
export const securityNotice = (to: string, event: SecurityEventType, detail?: string) => {
  const notice = notices[event]
  return securityNoticeEmail(to, notice.subject, detail === undefined ? notice.what : `${notice.what} ${detail}`)
}

/** Audits `event` and mails the user's current address about it. */
export const notifySecurityChange = Effect.fnUntraced(function*(input: {
  readonly userId: string
  readonly event: SecurityEventType
  readonly origin: SecurityEventOrigin
}) {
  const sender = yield* emailSender
  const user = yield* findUserRow(input.userId)
  yield* securityEvent({ event: input.event, userId: user.id, origin: input.origin })
  yield* sender.send(securityNotice(user.email, input.event))
  return {}
})
