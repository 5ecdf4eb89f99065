/**
 * Pages of the device verification flow (RFC 8628 §3.3): entering the user
 * code, confirming what the device asks for (`decision=approve|deny` with
 * hidden `tx` and `csrf`), and the outcome.
 */
import { htmlResponse } from "../http/html_response.ts"
import { escapeHtml, hiddenInput, layout } from "./html.ts"

/** The code entry form (GET, so the result is the same URL as `verification_uri_complete`). */
export const deviceCodeEntryPage = (error: string | null = null, status = 200): Response =>
  htmlResponse(
    layout(
      "Connect a device",
      `<h1>Connect a device</h1>` +
        (error === null ? "" : `<p class="error">${escapeHtml(error)}</p>`) +
        `<form method="get" action="/device"><label for="user_code">Enter the code shown on your device</label>` +
        `<input id="user_code" name="user_code" autocomplete="off" autocapitalize="characters" spellcheck="false" placeholder="XXXX-XXXX" required>` +
        `<button type="submit">Continue</button></form>`
    ),
    { status }
  )

/** What the confirmation page shows. */
export interface DeviceConfirmModel {
  readonly tx: string
  readonly csrf: string
  readonly clientName: string
  readonly userCode: string
  readonly scopes: ReadonlyArray<string>
}

/** Asks the user to approve or deny the device (RFC 8628 §5.4: show the client, and the code to compare). */
export const deviceConfirmPage = (model: DeviceConfirmModel): Response =>
  htmlResponse(
    layout(
      "Connect a device",
      `<h1>Connect ${escapeHtml(model.clientName)}?</h1>` +
        `<p>Only continue if your device shows the code <strong>${escapeHtml(model.userCode)}</strong> and you started this sign-in yourself.</p>` +
        `<p>It asks for:</p><ul>${model.scopes.map((s) => `<li>${escapeHtml(s)}</li>`).join("")}</ul>` +
        `<form method="post" action="/device">` +
        hiddenInput("tx", model.tx) +
        hiddenInput("csrf", model.csrf) +
        `<button type="submit" name="decision" value="approve">Allow</button>` +
        `<button type="submit" name="decision" value="deny">Deny</button></form>`
    )
  )

/** The outcome: the device will now receive its tokens (or its refusal) at its next poll. */
export const deviceDonePage = (approved: boolean): Response =>
  htmlResponse(
    layout(
      approved ? "Device connected" : "Device denied",
      approved
        ? `<h1>Device connected</h1><p>You can return to your device; it will continue on its own.</p>`
        : `<h1>Request denied</h1><p>The device was not given access. You can close this page.</p>`
    )
  )
