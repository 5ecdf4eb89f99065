/**
 * Front-Channel Logout 1.0 §4: the page /end_session answers after ending a
 * session whose RPs registered a `frontchannel_logout_uri`. It loads each RP's
 * URL in an invisible iframe so the RP can clear its own session in the
 * user's browser, then continues to the registered `post_logout_redirect_uri`
 * once every frame has loaded (or after a few seconds, so one slow RP cannot
 * hold the user). Without JavaScript the user presses "Continue". The CSP
 * allows framing exactly the RPs' origins (`frame-src`) and the one inline
 * script by nonce.
 */
import type { Locale } from "../i18n/locale.ts"
import { t, tHtml } from "../i18n/translate.ts"
import { htmlResponse } from "../http/html_response.ts"
import { escapeHtml, layout } from "./html.ts"

/** How long the page waits for slow RPs before it continues anyway (ms). */
export const FRONTCHANNEL_WAIT_MS = 3000

/** What the page shows and where it goes next. */
export interface FrontchannelLogoutModel {
  /** The iframe URLs (`frontchannel_frames.ts`), each with `iss` and `sid`. */
  readonly frames: ReadonlyArray<string>
  /** The registered post-logout redirect (with `state`); null: stay on this "signed out" page. */
  readonly continueTo: string | null
}

/** Continues once every frame fired `load`, or after the wait; never before the frames were asked for. */
const continueScript = (nonce: string) =>
  `<script nonce="${nonce}">(()=>{const next=document.getElementById("continue");if(!next)return;` +
  `const frames=[...document.querySelectorAll("iframe")];let left=frames.length;let gone=false;` +
  `const go=()=>{if(!gone){gone=true;location.replace(next.href)}};` +
  `frames.forEach((f)=>f.addEventListener("load",()=>{left-=1;if(left<=0)go()}));` +
  `setTimeout(go,${FRONTCHANNEL_WAIT_MS})})()</script>`

const originsOf = (frames: ReadonlyArray<string>): ReadonlyArray<string> => [...new Set(frames.map((frame) => new URL(frame).origin))]

/** The signed-out page with one hidden iframe per RP. */
export const frontchannelLogoutPage = (locale: Locale, model: FrontchannelLogoutModel, headers?: HeadersInit): Response => {
  const nonce = crypto.randomUUID().replace(/-/g, "")
  const frames = model.frames
    .map((frame) => `<iframe src="${escapeHtml(frame)}" title="${escapeHtml(t(locale, "logout.frontchannelFrame"))}" hidden></iframe>`)
    .join("")
  const next = model.continueTo === null
    ? `<p>${tHtml(locale, "logout.close")}</p>`
    : `<p>${tHtml(locale, "logout.returning")}</p><p><a id="continue" href="${escapeHtml(model.continueTo)}">${tHtml(locale, "common.continue")}</a></p>`
  return htmlResponse(
    layout(
      locale,
      t(locale, "logout.signedOutTitle"),
      `<h1>${tHtml(locale, "logout.signedOut")}</h1>` +
        `<p role="status">${tHtml(locale, "logout.frontchannelNotice", { count: String(model.frames.length) })}</p>` +
        next + frames + (model.continueTo === null ? "" : continueScript(nonce))
    ),
    { scriptNonce: nonce, frameSources: originsOf(model.frames), ...(headers === undefined ? {} : { headers }) }
  )
}
