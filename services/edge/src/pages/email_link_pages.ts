/**
 * Pages of the magic-link sign-in: the "email me a link" form (fields
 * `email`, hidden `tx` and `csrf`), the "check your email" page (identical
 * whether or not the address has an account), and the rejections of a link.
 */
import { htmlResponse } from "../http/html_response.ts"
import { escapeHtml, hiddenInput, layout } from "./html.ts"

const loginLink = (tx: string) => `/login?tx=${escapeHtml(encodeURIComponent(tx))}`

/** The request form of transaction `tx`. */
export const magicLinkRequestPage = (
  model: { readonly tx: string; readonly csrf: string; readonly email: string | null; readonly error: string | null },
  status = 200
): Response =>
  htmlResponse(
    layout(
      "Email me a sign-in link",
      `<h1>Email me a sign-in link</h1>` +
        (model.error === null ? "" : `<p class="error" role="alert">${escapeHtml(model.error)}</p>`) +
        `<p>We will send a link that signs you in. Open it in this browser.</p>` +
        `<form method="post" action="/login/email">` +
        hiddenInput("tx", model.tx) +
        hiddenInput("csrf", model.csrf) +
        `<label for="email">Email</label>` +
        `<input id="email" type="email" name="email" value="${escapeHtml(model.email ?? "")}" autocomplete="username" required>` +
        `<button type="submit">Send link</button></form>` +
        `<p><a href="${loginLink(model.tx)}">Back to sign in</a></p>`
    ),
    { status }
  )

/** After a request: the same words for every address, so the page does not reveal who has an account. */
export const magicLinkSentPage = (tx: string): Response =>
  htmlResponse(
    layout(
      "Check your email",
      `<h1>Check your email</h1>` +
        `<p>If an account uses that address, a sign-in link is on its way. It works once, for 15 minutes, ` +
        `and only in this browser.</p><p><a href="${loginLink(tx)}">Back to sign in</a></p>`
    )
  )

/** Why a link was not accepted. */
export type MagicLinkRejection = "expired" | "wrong-browser"

/** A rejected link: expired/used (400) or opened in a browser that did not ask for it (403). */
export const magicLinkRejectedPage = (reason: MagicLinkRejection): Response =>
  reason === "expired"
    ? htmlResponse(
      layout(
        "Sign-in link expired",
        `<h1>This sign-in link cannot be used</h1>` +
          `<p class="error" role="alert">The link has expired or was already used. Links work once, for 15 minutes.</p>` +
          `<p>Go back to the application you came from and ask for a new link.</p>`
      ),
      { status: 400 }
    )
    : htmlResponse(
      layout(
        "Open the link in the same browser",
        `<h1>Open this link in the browser where you asked for it</h1>` +
          `<p class="error" role="alert">This sign-in link was requested from a different browser (or its cookies were cleared), ` +
          `so it cannot sign this one in.</p>` +
          `<p>Open the link in the browser where you asked for it, or ask for a new link in this browser. ` +
          `If you did not ask for a sign-in link, ignore it.</p>`
      ),
      { status: 403 }
    )
