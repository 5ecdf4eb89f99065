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
import { emailLanguageOf, type EmailLanguage } from "./email_language.ts"
import { securityEvent } from "../security_event.ts"
import { findUserRow } from "../users/users.ts"
import { brandedEmail } from "./email_branding.ts"

/**
 * The notice email of `event` to `to` in `language` (also used by the email change, which writes to the
 * OLD address and names the new one).
 */
export const securityNotice = (to: string, event: SecurityEventType, language: EmailLanguage, newEmail?: string) =>
  securityNoticeEmail(to, event, language, newEmail)

/** Audits `event` and mails the user's current address about it. */
export const notifySecurityChange = Effect.fnUntraced(function*(input: {
  readonly userId: string
  readonly event: SecurityEventType
  readonly origin: SecurityEventOrigin
  readonly locale?: string | undefined
}) {
  const sender = yield* emailSender
  const user = yield* findUserRow(input.userId)
  yield* securityEvent({ event: input.event, userId: user.id, origin: input.origin })
  yield* sender.send(yield* brandedEmail(securityNotice(user.email, input.event, emailLanguageOf(input.locale)), emailLanguageOf(input.locale)))
  return {}
})
