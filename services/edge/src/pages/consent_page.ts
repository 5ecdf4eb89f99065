/**
 * The consent page: an HTML form whose two buttons are `name="decision"`
 * with values `approve` / `deny`, plus hidden `tx` and `csrf`.
 */
import { htmlResponse } from "../http/html_response.ts"
import { escapeHtml, hiddenInput, layout } from "./html.ts"

/** What the consent page shows. */
export interface ConsentPageModel {
  readonly tx: string
  readonly csrf: string
  readonly clientName: string
  readonly scopes: ReadonlyArray<string>
}

/** Plain-language meaning of the standard scopes (OIDC Core §5.4). */
const scopeMeaning: Record<string, string> = {
  openid: "Sign you in with your account",
  profile: "Your name and profile picture",
  email: "Your email address",
  address: "Your postal address",
  phone: "Your phone number",
  offline_access: "Stay signed in to the application while you are away"
}

/** Renders the consent page. */
export const consentPage = (model: ConsentPageModel): Response =>
  htmlResponse(
    layout(
      "Allow access",
      `<h1>Allow access?</h1><p><strong>${escapeHtml(model.clientName)}</strong> would like to:</p><ul>` +
        model.scopes.map((s) => `<li>${escapeHtml(scopeMeaning[s] ?? s)}</li>`).join("") +
        `</ul><form method="post" action="/consent">` +
        hiddenInput("tx", model.tx) +
        hiddenInput("csrf", model.csrf) +
        `<button type="submit" name="decision" value="approve">Allow</button>` +
        `<button type="submit" name="decision" value="deny">Deny</button></form>`
    )
  )
