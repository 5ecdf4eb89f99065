/**
 * The words of every email this service sends, in English — the reference
 * catalogue: `EmailMessageKey` types every other language's, so a key
 * missing in `email_messages_ja.ts` does not compile, and
 * test/email_catalogues.test.ts compares keys and `{parameters}` at run time.
 * Plain text only: the HTML part escapes everything (`email_templates.ts`).
 */
export const emailMessagesEn = {
  "magicLink.subject": "Your sign-in link",
  "magicLink.intro": "Open this link in the same browser where you asked for it to finish signing in:",
  "magicLink.outro": "It works once and expires in {minutes} minutes. If you did not ask to sign in, ignore this email.",

  "passwordReset.subject": "Reset your password",
  "passwordReset.intro": "Someone (hopefully you) asked to reset the password of this account. Choose a new password here:",
  "passwordReset.outro": "The link works once and expires in {minutes} minutes. If you did not ask for this, ignore this email: your password stays as it is.",

  "emailChange.subject": "Confirm your new email address",
  "emailChange.intro": "Someone (hopefully you) asked to use this address for their account. Open this link to confirm it:",
  "emailChange.outro": "The link works once and expires in {minutes} minutes. If you did not ask for this, ignore this email: nothing changes.",

  "notice.outro": "If this was you, there is nothing to do. If it was not, reset your password now from the sign-in page and review your account's passkeys, two-step verification and sessions.",
  "notice.newAddress": "The new address is {email}.",
  "notice.passkey_added.subject": "A passkey was added to your account",
  "notice.passkey_added.what": "A new passkey was added to your account.",
  "notice.passkey_removed.subject": "A passkey was removed from your account",
  "notice.passkey_removed.what": "A passkey was removed from your account.",
  "notice.totp_enabled.subject": "Two-step verification is on",
  "notice.totp_enabled.what": "Two-step verification (authenticator app codes) was turned on for your account.",
  "notice.totp_disabled.subject": "Two-step verification was turned off",
  "notice.totp_disabled.what": "Two-step verification was turned off for your account.",
  "notice.recovery_codes_regenerated.subject": "New recovery codes were made",
  "notice.recovery_codes_regenerated.what": "New recovery codes were made for your account; the previous ones no longer work.",
  "notice.password_changed.subject": "Your password was changed",
  "notice.password_changed.what": "The password of your account was changed.",
  "notice.password_reset.subject": "Your password was reset",
  "notice.password_reset.what": "The password of your account was reset with an emailed link, and every session of the account was signed out.",
  "notice.email_change_requested.subject": "A change of your email address was requested",
  "notice.email_change_requested.what": "Someone signed in to your account asked to change its email address. Nothing changes unless the link sent to the new address is opened.",
  "notice.email_changed.subject": "Your email address was changed",
  "notice.email_changed.what": "The email address of your account was changed.",

  // Branding (issue 12 §5; email_branding.ts): every email's signature (product name) and support line; subjects stay as they are (mail filters and existing readers key on them).
  "brand.signature": "— {product}",
  "brand.support": "Need help? {support}"
} as const

/** A text of the email catalogue. */
export type EmailMessageKey = keyof typeof emailMessagesEn

/** A whole email catalogue: every key of the English one. */
export type EmailCatalogue = { readonly [K in EmailMessageKey]: string }
