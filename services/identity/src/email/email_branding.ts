/**
 * Every email carries the branding (issue 12 §5): the product name in the
 * signature, and the support link (the branding's support
 * URL, else its support address) — in the email's language. Applied to the
 * finished message, so no template can forget it. The branding is read
 * through this isolate's copy (branding/branding_store.ts); if it cannot be
 * read the email still goes out, with the default product name.
 */
import { defaultBranding, type Branding } from "@authrim/contracts"
import { Effect } from "effect"
import { getBranding } from "../branding/branding_store.ts"
import { emailText, type EmailLanguage } from "./email_language.ts"
import type { EmailMessage } from "./email_sender.ts"

/** What an email shows of the branding. */
export type EmailBrand = Pick<Branding, "productName" | "supportUrl" | "supportEmail">

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" })[c] ?? c)

/** `message` signed with the product name, with the support line, in `language` (the subject is kept: filters key on it). */
export const brandEmail = (message: EmailMessage, language: EmailLanguage, brand: EmailBrand): EmailMessage => {
  const signature = emailText(language, "brand.signature", { product: brand.productName })
  const support = brand.supportUrl ?? brand.supportEmail
  const supportHref = brand.supportUrl ?? (brand.supportEmail === null ? null : `mailto:${brand.supportEmail}`)
  const supportLine = support === null ? "" : emailText(language, "brand.support", { support })
  const htmlFooter = `<p>${escapeHtml(signature)}</p>` +
    (supportHref === null || support === null ? "" : `<p>${escapeHtml(emailText(language, "brand.support", { support: "\u0000" })).replace("\u0000", `<a href="${escapeHtml(supportHref)}">${escapeHtml(support)}</a>`)}</p>`)
  return {
    to: message.to,
    subject: message.subject,
    text: `${message.text}\n-- \n${signature}\n${supportLine === "" ? "" : `${supportLine}\n`}`,
    html: message.html === null ? null : message.html.endsWith("</div>") ? `${message.html.slice(0, -6)}${htmlFooter}</div>` : `${message.html}${htmlFooter}`
  }
}

/** The branding emails show; the defaults when it cannot be read (an email is never held back by branding). */
export const emailBrand: Effect.Effect<EmailBrand, never, Effect.Services<ReturnType<typeof getBranding>>> = getBranding().pipe(
  Effect.map((document): EmailBrand => document.branding),
  Effect.catch(() => Effect.succeed<EmailBrand>(defaultBranding))
)

/** `message` branded with the current branding (see {@link brandEmail}). */
export const brandedEmail = Effect.fnUntraced(function*(message: EmailMessage, language: EmailLanguage) {
  return brandEmail(message, language, yield* emailBrand)
})
