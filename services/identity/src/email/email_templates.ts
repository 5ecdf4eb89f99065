/**
 * The emails this service sends, in the language of the request
 * (`email_language.ts`; the words are in `email_messages_*.ts`). Plain text
 * carries the link on its own line (some clients mangle long links inside
 * sentences); the HTML part is minimal, says its language, and escapes
 * everything it interpolates.
 */
import type { SecurityEventType } from "@authrim/contracts"
import type { EmailMessage } from "./email_sender.ts"
import { emailText, type EmailLanguage } from "./email_language.ts"
import type { EmailMessageKey } from "./email_messages_en.ts"

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" })[c] ?? c)

const htmlPart = (language: EmailLanguage, body: string) => `<div lang="${language}">${body}</div>`

const linkMessage = (
  language: EmailLanguage,
  to: string,
  keys: { readonly subject: EmailMessageKey; readonly intro: EmailMessageKey; readonly outro: EmailMessageKey },
  link: string,
  minutes: number
): EmailMessage => {
  const subject = emailText(language, keys.subject)
  const intro = emailText(language, keys.intro)
  const outro = emailText(language, keys.outro, { minutes })
  return {
    to,
    subject,
    text: `${intro}\n\n${link}\n\n${outro}\n`,
    html: htmlPart(language, `<p>${escapeHtml(intro)}</p><p><a href="${escapeHtml(link)}">${escapeHtml(subject)}</a></p><p>${escapeHtml(outro)}</p>`)
  }
}

/** The sign-in link email. */
export const magicLinkEmail = (to: string, link: string, minutes: number, language: EmailLanguage = "en"): EmailMessage =>
  linkMessage(language, to, { subject: "magicLink.subject", intro: "magicLink.intro", outro: "magicLink.outro" }, link, minutes)

/** The password-reset email. */
export const passwordResetEmail = (to: string, link: string, minutes: number, language: EmailLanguage = "en"): EmailMessage =>
  linkMessage(language, to, { subject: "passwordReset.subject", intro: "passwordReset.intro", outro: "passwordReset.outro" }, link, minutes)

/** `base` (absolute URL) with `token` set as its query parameter (other parameters, e.g. `ui_locales`, kept). */
export const linkWithToken = (base: string, token: string): string => {
  const url = new URL(base)
  url.searchParams.set("token", token)
  return url.toString()
}

/** The email-change verification link, sent to the NEW address. */
export const emailChangeVerificationEmail = (to: string, link: string, minutes: number, language: EmailLanguage = "en"): EmailMessage =>
  linkMessage(language, to, { subject: "emailChange.subject", intro: "emailChange.intro", outro: "emailChange.outro" }, link, minutes)

/**
 * A notice without a link: it tells what changed and what to do if it was not
 * the user. Deliberately no link (phishing-shaped mail trains users badly,
 * and a notice must not carry anything that acts on the account). `newEmail`:
 * the address an `email_changed` notice (to the OLD address) names.
 */
export const securityNoticeEmail = (to: string, event: SecurityEventType, language: EmailLanguage = "en", newEmail?: string): EmailMessage => {
  const what = emailText(language, `notice.${event}.what`) +
    (newEmail === undefined ? "" : (language === "ja" ? "" : " ") + emailText(language, "notice.newAddress", { email: newEmail }))
  const outro = emailText(language, "notice.outro")
  return {
    to,
    subject: emailText(language, `notice.${event}.subject`),
    text: `${what}\n\n${outro}\n`,
    html: htmlPart(language, `<p>${escapeHtml(what)}</p><p>${escapeHtml(outro)}</p>`)
  }
}
