/**
 * `/account/email` pages: the change form (current address shown, `email` =
 * the new one, hidden double-submit `csrf`), "check your new inbox" (the same
 * words whether or not the address is taken: no account enumeration), and
 * the outcomes of opening the emailed link.
 */
import { htmlResponse } from "../http/html_response.ts"
import { escapeHtml, hiddenInput, layout } from "./html.ts"
import { stepUpNotice } from "./step_up_page.ts"

/** The change form. */
export const changeEmailPage = (
  model: {
    readonly csrf: string; readonly currentEmail: string; readonly newEmail: string | null; readonly error: string | null
    /** The step-up window in minutes when this session is older than it (a notice is shown), else null/absent. */
    readonly staleMinutes?: number | null
  },
  status = 200
): Response =>
  htmlResponse(
    layout(
      "Change email address",
      `<h1>Change your email address</h1>` +
        (model.error === null ? "" : `<p class="error" role="alert">${escapeHtml(model.error)}</p>`) +
        `<p>Your address is <strong>${escapeHtml(model.currentEmail)}</strong>. We will send a link to the new address; ` +
        `the change happens when you open it, and your current address is told.</p>` +
        stepUpNotice(model.staleMinutes ?? null) +
        `<form method="post" action="/account/email">` +
        hiddenInput("csrf", model.csrf) +
        `<label for="email">New email address</label>` +
        `<input id="email" type="email" name="email" value="${escapeHtml(model.newEmail ?? "")}" autocomplete="email" required>` +
        `<button type="submit">Send confirmation link</button></form>` +
        `<p><a href="/account">Your account</a></p>`
    ),
    { status }
  )

/** After a request: the same words for every address. */
export const emailChangeSentPage = (minutes: number): Response =>
  htmlResponse(
    layout(
      "Check your new inbox",
      `<h1>Check your new inbox</h1><p>We sent a link to the new address. Open it to finish the change; ` +
        `it works once, for ${minutes} minutes. Until then your address stays as it is.</p><p><a href="/account">Your account</a></p>`
    )
  )

/** The link worked. */
export const emailChangedPage = (email: string): Response =>
  htmlResponse(
    layout(
      "Email address changed",
      `<h1>Email address changed</h1><p>Your account's email address is now <strong>${escapeHtml(email)}</strong>.</p>` +
        `<p><a href="/account">Your account</a></p>`
    )
  )

/** The link is unknown, used or expired (400), or its address belongs to another account now (409). */
export const emailChangeFailedPage = (reason: "invalid" | "taken"): Response =>
  htmlResponse(
    layout(
      "Email address not changed",
      `<h1>Your email address was not changed</h1><p class="error" role="alert">` +
        (reason === "taken"
          ? "That address is already used by another account, so it cannot be yours too."
          : "The link has expired or was already used. Links work once, for 30 minutes, and asking again cancels the older ones.") +
        `</p><p><a href="/account/email">Ask again</a></p>`
    ),
    { status: reason === "taken" ? 409 : 400 }
  )
