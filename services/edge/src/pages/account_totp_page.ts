/**
 * `/account/totp` views: the status with the one next action (set up, or
 * turn off with a code), the enrolment screen (secret + otpauth URI, confirm
 * with a first code), and the recovery codes — shown once, right after
 * enrolment. Every form posts `action` and the hidden double-submit `csrf`.
 */
import type { MfaStatus, TotpEnrolment } from "@authrim/contracts"
import { htmlResponse } from "../http/html_response.ts"
import { escapeHtml, hiddenInput, layout } from "./html.ts"

/** Which view of the page. */
export type AccountTotpView =
  | { readonly kind: "status"; readonly status: MfaStatus }
  | { readonly kind: "enrol"; readonly enrolment: TotpEnrolment | null }
  | { readonly kind: "recovery-codes"; readonly codes: ReadonlyArray<string> }
  | { readonly kind: "disabled" }

const form = (csrf: string, action: string, body: string) =>
  `<form method="post" action="/account/totp">${hiddenInput("csrf", csrf)}${hiddenInput("action", action)}${body}</form>`

const codeField = `<label for="code">Code</label><input id="code" type="text" name="code" value="" autocomplete="one-time-code" autocapitalize="off" required>`

const viewBody = (view: AccountTotpView, csrf: string): string => {
  switch (view.kind) {
    case "status":
      return view.status.totpEnabled
        ? `<p>Two-step verification is <strong>on</strong>. Recovery codes left: ${view.status.recoveryCodesLeft}.</p>` +
          `<h2>Turn off</h2><p>Enter a code from your app or a recovery code.</p>` +
          form(csrf, "disable", `${codeField}<button type="submit">Turn off two-step verification</button>`) +
          `<h2>Recovery codes</h2><p>Make ten new recovery codes; the old ones stop working.</p>` +
          form(csrf, "regenerate", `<button type="submit">Make new recovery codes</button>`)
        : `<p>Two-step verification is <strong>off</strong>. With it on, signing in with a password also asks for a code from an authenticator app.</p>` +
          form(csrf, "begin", `<button type="submit">Set up an authenticator app</button>`)
    case "enrol":
      return (view.enrolment === null
        ? ""
        : `<p>Add this account to your authenticator app: scan or open the link, or type the key.</p>` +
          `<p>Key: <code id="totp-secret">${escapeHtml(view.enrolment.secret.replace(/(.{4})/g, "$1 ").trim())}</code></p>` +
          `<p><a id="otpauth-uri" href="${escapeHtml(view.enrolment.otpauthUri)}">${escapeHtml(view.enrolment.otpauthUri)}</a></p>`) +
        `<p>Then enter the 6-digit code the app shows to finish.</p>` +
        form(csrf, "confirm", `${codeField}<button type="submit">Turn on</button>`) +
        form(csrf, "begin", `<button type="submit">Start over with a new key</button>`)
    case "recovery-codes":
      return `<p>Two-step verification is <strong>on</strong>. Save these recovery codes somewhere safe: each works once if you lose your phone. They will not be shown again.</p>` +
        `<ul id="recovery-codes">${view.codes.map((c) => `<li><code>${escapeHtml(c)}</code></li>`).join("")}</ul>` +
        `<p><a href="/account/totp">Done</a></p>`
    case "disabled":
      return `<p>Two-step verification is <strong>off</strong>.</p><p><a href="/account/totp">Back</a></p>`
  }
}

/** Renders a view (`error` above it; `status` 400/401/429 after a failed post). */
export const accountTotpPage = (view: AccountTotpView, csrf: string, error: string | null, status = 200): Response =>
  htmlResponse(
    layout(
      "Two-step verification",
      `<h1>Two-step verification</h1>` +
        (error === null ? "" : `<p class="error" role="alert">${escapeHtml(error)}</p>`) +
        viewBody(view, csrf)
    ),
    { status }
  )
