/**
 * The texts of the emails this service sends. Plain text carries the link on
 * its own line (some clients mangle long links inside sentences); the HTML
 * part is minimal and escapes everything it interpolates.
 */
import type { EmailMessage } from "./email_sender.ts"

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" })[c] ?? c)

const message = (to: string, subject: string, intro: string, link: string, outro: string): EmailMessage => ({
  to,
  subject,
  text: `${intro}\n\n${link}\n\n${outro}\n`,
  html: `<p>${escapeHtml(intro)}</p><p><a href="${escapeHtml(link)}">${escapeHtml(subject)}</a></p><p>${escapeHtml(outro)}</p>`
})

/** The sign-in link email. */
export const magicLinkEmail = (to: string, link: string, minutes: number): EmailMessage =>
  message(
    to,
    "Your sign-in link",
    "Open this link in the same browser where you asked for it to finish signing in:",
    link,
    `It works once and expires in ${minutes} minutes. If you did not ask to sign in, ignore this email.`
  )

/** The password-reset email. */
export const passwordResetEmail = (to: string, link: string, minutes: number): EmailMessage =>
  message(
    to,
    "Reset your password",
    "Someone (hopefully you) asked to reset the password of this account. Choose a new password here:",
    link,
    `The link works once and expires in ${minutes} minutes. If you did not ask for this, ignore this email: your password stays as it is.`
  )

/** `base` (absolute URL) with `token` set as its query parameter. */
export const linkWithToken = (base: string, token: string): string => {
  const url = new URL(base)
  url.searchParams.set("token", token)
  return url.toString()
}

/** The email-change verification link, sent to the NEW address. */
export const emailChangeVerificationEmail = (to: string, link: string, minutes: number): EmailMessage =>
  message(
    to,
    "Confirm your new email address",
    "Someone (hopefully you) asked to use this address for their account. Open this link to confirm it:",
    link,
    `The link works once and expires in ${minutes} minutes. If you did not ask for this, ignore this email: nothing changes.`
  )

/**
 * A notice without a link: it tells what changed and what to do if it was not
 * the user. Deliberately no link (phishing-shaped mail trains users badly,
 * and a notice must not carry anything that acts on the account).
 */
export const securityNoticeEmail = (to: string, subject: string, what: string): EmailMessage => {
  const outro = "If this was you, there is nothing to do. If it was not, reset your password now from the sign-in page " +
    "and review your account's passkeys, two-step verification and sessions."
  return {
    to,
    subject,
    text: `${what}\n\n${outro}\n`,
    html: `<p>${escapeHtml(what)}</p><p>${escapeHtml(outro)}</p>`
  }
}
