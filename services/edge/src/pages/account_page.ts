/**
 * The account page (`/account`): the signed-in user's profile, their
 * sessions — one per browser or device, the current one marked — each with a
 * "Sign out" form, "Sign out everywhere", and links to the other account
 * pages. Plain HTML forms (no JavaScript); every form carries the CSRF token.
 */
import type { Session, User } from "@authrim/contracts"
import { htmlResponse } from "../http/html_response.ts"
import { escapeHtml, hiddenInput, layout } from "./html.ts"

/** What the account page shows. */
export interface AccountPageModel {
  readonly csrf: string
  readonly user: User
  /** The user's live sessions, newest first. */
  readonly sessions: ReadonlyArray<Session>
  readonly currentSessionId: string
}

/** Where the session forms post. */
export const ACCOUNT_SESSIONS_PATH = "/account/sessions"

/** Epoch ms as a `<time>` in UTC (the page has no script to localise it). */
const time = (ms: number) => {
  const iso = new Date(ms).toISOString()
  return `<time datetime="${iso}">${iso.slice(0, 16).replace("T", " ")} UTC</time>`
}

const sessionForm = (csrf: string, action: string, label: string, sessionId?: string) =>
  `<form method="post" action="${ACCOUNT_SESSIONS_PATH}">` +
  hiddenInput("csrf", csrf) +
  (sessionId === undefined ? "" : hiddenInput("sessionId", sessionId)) +
  `<button type="submit" name="action" value="${escapeHtml(action)}">${escapeHtml(label)}</button></form>`

const sessionItem = (model: AccountPageModel, session: Session) => {
  const current = session.id === model.currentSessionId
  const device = session.deviceName ?? "Unknown device"
  return `<li data-session-id="${escapeHtml(session.id)}"><strong>${escapeHtml(device)}</strong>` +
    (current ? ` <em class="current">(this browser)</em>` : "") +
    `<br><small>IP ${escapeHtml(session.ipAddress ?? "unknown")} · signed in ${time(session.createdAt)}` +
    ` · last authenticated ${time(session.authTime)}</small>` +
    (session.userAgent === null ? "" : `<br><small class="user-agent">${escapeHtml(session.userAgent)}</small>`) +
    sessionForm(model.csrf, "revoke", current ? "Sign out of this browser" : "Sign out", session.id) +
    `</li>`
}

/** Renders the account page. */
export const accountPage = (model: AccountPageModel): Response =>
  htmlResponse(
    layout(
      "Your account",
      `<h1>Your account</h1>` +
        `<dl><dt>Email</dt><dd class="email">${escapeHtml(model.user.email)}</dd>` +
        `<dt>Name</dt><dd class="name">${escapeHtml(model.user.name ?? "—")}</dd></dl>` +
        `<h2>Security</h2><ul>` +
        `<li><a href="/account/passkeys">Passkeys</a></li>` +
        `<li><a href="/account/password">Password</a></li>` +
        `<li><a href="/account/email">Email address</a></li>` +
        `<li><a href="/account/totp">Two-step verification</a></li></ul>` +
        `<h2>Where you are signed in</h2><ul class="sessions">` +
        model.sessions.map((s) => sessionItem(model, s)).join("") +
        `</ul>` +
        sessionForm(model.csrf, "revoke_others", "Sign out of all other sessions") +
        sessionForm(model.csrf, "revoke_all", "Sign out everywhere")
    )
  )

/** The page after this browser's session ended. */
export const signedOutPage = (): Response =>
  htmlResponse(layout("Signed out", `<h1>You are signed out</h1><p><a href="/account">Sign in again</a></p>`))
