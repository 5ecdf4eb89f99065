/**
 * The account page (`/account`): the signed-in user's profile, their
 * sessions — one per browser or device, the current one marked — each with a
 * "Sign out" form, "Sign out everywhere", and links to the other account
 * pages. Plain HTML forms (no JavaScript); every form carries the CSRF token.
 */
import type { Session, User } from "@authrim/contracts"
import type { Locale } from "../i18n/locale.ts"
import { t, tHtml } from "../i18n/translate.ts"
import { htmlResponse } from "../http/html_response.ts"
import { escapeHtml, hiddenInput, layout } from "./html.ts"

/** What the account page shows. */
export interface AccountPageModel {
  readonly csrf: string
  readonly user: User
  /** The user's live sessions, newest first. */
  readonly sessions: ReadonlyArray<Session>
  readonly currentSessionId: string
  /** The profile form just saved (`/account?profile=saved`): a notice is shown. */
  readonly profileSaved?: boolean
}

/** Where the session forms post. */
export const ACCOUNT_SESSIONS_PATH = "/account/sessions"

/** Epoch ms as a `<time>` in UTC (the page has no script to localise it); used as HTML. */
export const utcTime = (locale: Locale, ms: number): string => {
  const iso = new Date(ms).toISOString()
  return `<time datetime="${iso}">${tHtml(locale, "common.utc", { time: iso.slice(0, 16).replace("T", " ") })}</time>`
}

const sessionFormTo = (path: string, csrf: string, action: string, label: string, enctype?: string) =>
  `<form class="quiet" method="post" action="${path}"${enctype === undefined ? "" : ` enctype="${enctype}"`}>` + hiddenInput("csrf", csrf) +
  `<button type="submit" name="action" value="${escapeHtml(action)}">${escapeHtml(label)}</button></form>`

const sessionForm = (csrf: string, action: string, label: string, sessionId?: string) =>
  `<form class="quiet" method="post" action="${ACCOUNT_SESSIONS_PATH}">` +
  hiddenInput("csrf", csrf) +
  (sessionId === undefined ? "" : hiddenInput("sessionId", sessionId)) +
  `<button type="submit" name="action" value="${escapeHtml(action)}">${escapeHtml(label)}</button></form>`

const sessionItem = (locale: Locale, model: AccountPageModel, session: Session) => {
  const current = session.id === model.currentSessionId
  const device = session.deviceName ?? t(locale, "account.unknownDevice")
  // The times are markup (`<time>`): the line is built from the escaped catalogue text around them.
  const details = tHtml(locale, "account.sessionDetails", { ip: session.ipAddress ?? t(locale, "account.unknownIp") })
    .replace("{signedIn}", utcTime(locale, session.createdAt))
    .replace("{authenticated}", utcTime(locale, session.authTime))
  return `<li data-session-id="${escapeHtml(session.id)}"><strong>${escapeHtml(device)}</strong>` +
    (current ? ` <em class="current">${tHtml(locale, "account.thisBrowser")}</em>` : "") +
    `<br><small>${details}</small>` +
    (session.userAgent === null ? "" : `<br><small class="user-agent">${escapeHtml(session.userAgent)}</small>`) +
    `<br>` + sessionForm(model.csrf, "revoke", t(locale, current ? "account.signOutThis" : "account.signOut"), session.id) +
    `</li>`
}

/** Where the picture forms post (routes/account_avatar.ts). */
export const ACCOUNT_AVATAR_PATH = "/account/avatar"

/** The picture, an upload form (multipart; the kind is checked from the bytes server-side) and, when set, a remove form. */
const pictureSection = (locale: Locale, model: AccountPageModel): string =>
  `<h2>${tHtml(locale, "account.picture")}</h2>` +
  (model.user.picture === null
    ? `<p>${tHtml(locale, "account.pictureNone")}</p>`
    : `<p><img class="avatar" src="${escapeHtml(model.user.picture)}" alt="${escapeHtml(t(locale, "account.pictureAlt"))}" width="96" height="96"></p>`) +
  `<form method="post" action="${ACCOUNT_AVATAR_PATH}" enctype="multipart/form-data">` + hiddenInput("csrf", model.csrf) +
  `<label for="avatar">${tHtml(locale, "account.pictureChoose")}</label>` +
  `<input id="avatar" name="avatar" type="file" accept="image/jpeg,image/png,image/gif,image/webp" required>` +
  `<button type="submit" name="action" value="upload">${tHtml(locale, "account.pictureUpload")}</button></form>` +
  (model.user.picture === null ? "" : sessionFormTo(ACCOUNT_AVATAR_PATH, model.csrf, "remove", t(locale, "account.pictureRemove"), "multipart/form-data"))

/** Renders the account page. */
export const accountPage = (locale: Locale, model: AccountPageModel): Response =>
  htmlResponse(
    layout(
      locale,
      t(locale, "account.title"),
      `<h1>${tHtml(locale, "account.title")}</h1>` +
        (model.profileSaved === true ? `<p class="notice" role="status">${tHtml(locale, "profile.saved")}</p>` : "") +
        `<dl><dt>${tHtml(locale, "common.email")}</dt><dd class="email">${escapeHtml(model.user.email)}</dd>` +
        `<dt>${tHtml(locale, "account.name")}</dt><dd class="name">${escapeHtml(model.user.name ?? "—")}</dd></dl>` +
        `<p><a href="/account/profile">${tHtml(locale, "profile.edit")}</a></p>` +
        pictureSection(locale, model) +
        `<h2>${tHtml(locale, "account.security")}</h2><ul>` +
        `<li><a href="/account/passkeys">${tHtml(locale, "account.passkeys")}</a></li>` +
        `<li><a href="/account/password">${tHtml(locale, "account.password")}</a></li>` +
        `<li><a href="/account/email">${tHtml(locale, "account.emailAddress")}</a></li>` +
        `<li><a href="/account/totp">${tHtml(locale, "account.totp")}</a></li></ul>` +
        `<h2>${tHtml(locale, "account.sessions")}</h2><ul class="sessions">` +
        model.sessions.map((s) => sessionItem(locale, model, s)).join("") +
        `</ul>` +
        sessionForm(model.csrf, "revoke_others", t(locale, "account.signOutOthers")) +
        sessionForm(model.csrf, "revoke_all", t(locale, "account.signOutAll"))
    )
  )

/** The page after this browser's session ended. */
export const signedOutPage = (locale: Locale): Response =>
  htmlResponse(
    layout(
      locale,
      t(locale, "account.signedOutTitle"),
      `<h1>${tHtml(locale, "account.signedOut")}</h1><p><a href="/account">${tHtml(locale, "account.signInAgain")}</a></p>`
    )
  )
