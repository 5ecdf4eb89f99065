/**
 * Users in the console: search (id exact, email prefix, name substring; cursor "next
 * page"), a user's detail (account, credentials summary, profile claims, roles,
 * sessions, consents) and its actions — disable / enable, end every session, reset
 * MFA, edit the profile claims, give / take roles, delete after a confirmation.
 * Every action is the admin API's operation (console_call.ts).
 */
import type { AdminConsent, AdminUser, AdminUserDetail, Role, Session, UserProfile } from "@authrim/contracts"
import { Effect } from "effect"
import type { AdminProblem } from "../admin/admin_problem.ts"
import { t, tHtml } from "../i18n/translate.ts"
import type { MessageKey } from "../i18n/messages_en.ts"
import { seeOther } from "../http/redirect.ts"
import { escapeHtml } from "../pages/html.ts"
import { bodyOf, presentQuery, runOperation, tryOperation, type ConsoleCall } from "./console_call.ts"
import { checkboxField, fieldErrorsOf, inputField, notice, problemBanner, selectField, textOrNull, timeText, versionInput, versionOf } from "./console_forms.ts"
import { consolePage, csrfInput } from "./console_layout.ts"
import { customValuesPatch, userCustomFieldsSection } from "./console_user_custom_fields.ts"
import { userAvatarSection } from "./console_user_avatar.ts"
import { MAX_AVATAR_UPLOAD_BYTES } from "../routes/account_avatar.ts"

interface UserPage { readonly users: ReadonlyArray<AdminUser>; readonly nextCursor: string | null }

const userHref = (userId: string) => `/admin/users/${encodeURIComponent(userId)}`

const SEARCH_FIELDS = ["email", "name", "id"] as const

/** `GET /admin/users`. */
export const usersSearchPage = Effect.fnUntraced(function*(call: ConsoleCall) {
  const { locale } = call.frame
  const filters = presentQuery(call.url, SEARCH_FIELDS)
  const cursor = call.url.searchParams.get("cursor")
  const result = yield* tryOperation(call, "searchUsers", { query: { ...filters, limit: "25", ...(cursor === null ? {} : { cursor }) } })
  const errors = result.ok ? new Map<string, string>() : fieldErrorsOf(result.problem)
  const searchForm = `<form method="get" action="/admin/users" role="search"><div class="grid">` +
    SEARCH_FIELDS.map((name) => inputField({ name, label: t(locale, `console.users.search.${name}` as MessageKey), value: call.url.searchParams.get(name) ?? "", errors })).join("") +
    `</div><button type="submit">${tHtml(locale, "console.users.search")}</button></form>`
  let results = ""
  if (result.ok) {
    const page = bodyOf<UserPage>(result.reply)
    const rows = page.users.map((u) =>
      `<tr><td><a href="${escapeHtml(userHref(u.id))}">${escapeHtml(u.email)}</a></td><td>${escapeHtml(u.name ?? "—")}</td>` +
      `<td>${tHtml(locale, u.disabled ? "console.users.disabled" : "console.users.active")}</td><td>${escapeHtml(timeText(u.createdAt))}</td></tr>`).join("")
    const next = page.nextCursor === null ? "" :
      `<p><a href="/admin/users?${new URLSearchParams({ ...filters, cursor: page.nextCursor }).toString()}">${tHtml(locale, "console.nextPage")}</a></p>`
    results = page.users.length === 0 ? `<p>${tHtml(locale, "console.users.none")}</p>` :
      `<div class="scroll"><table><thead><tr><th scope="col">${tHtml(locale, "console.users.email")}</th><th scope="col">${tHtml(locale, "console.users.name")}</th>` +
      `<th scope="col">${tHtml(locale, "console.users.state")}</th><th scope="col">${tHtml(locale, "console.users.created")}</th></tr></thead><tbody>${rows}</tbody></table></div>${next}`
  }
  const deleted = call.url.searchParams.get("deleted")
  return consolePage(call.frame, t(locale, "console.users.title"),
    `<h1>${tHtml(locale, "console.users.title")}</h1>${notice(deleted === null ? null : t(locale, "console.users.deletedNotice", { userId: deleted }))}` +
      (result.ok ? "" : problemBanner(locale, result.problem)) + searchForm + results,
    { status: result.ok ? 200 : result.problem.status })
})

/** Profile claims editable here (strings; `address` and `picture` are left to the API and the avatar upload). */
const PROFILE_FIELDS = [
  "given_name", "family_name", "middle_name", "nickname", "preferred_username", "profile", "website", "gender", "birthdate", "zoneinfo", "locale", "phone_number"
] as const

const DONE_NOTICES: Readonly<Record<string, MessageKey>> = {
  disabled: "console.users.done.disabled", enabled: "console.users.done.enabled", sessions: "console.users.done.sessions", session: "console.users.done.session",
  mfa: "console.users.done.mfa", profile: "console.users.done.profile", roles: "console.users.done.roles", consent: "console.users.done.consent",
  customFields: "console.userFields.savedNotice", avatar: "console.userAvatar.savedNotice", avatarRemoved: "console.userAvatar.removedNotice"
}

/** The detail page; `problem` (and the posted profile form) when an action was refused. */
const detailPage = Effect.fnUntraced(function*(call: ConsoleCall, problem: AdminProblem | null, postedProfile: URLSearchParams | null, postedCustom: URLSearchParams | null = null) {
  const { locale } = call.frame
  const userId = call.params["userId"]!
  const params = { userId }
  const [detailReply, profileReply, sessionsResult, consentsResult, rolesResult] = yield* Effect.all([
    runOperation(call, "getUser", { params }),
    runOperation(call, "getUserProfile", { params }),
    tryOperation(call, "listUserSessions", { params }),
    tryOperation(call, "listUserConsents", { params }),
    tryOperation(call, "listRoles")
  ], { concurrency: 5 })
  const detail = bodyOf<AdminUserDetail>(detailReply)
  const profile = bodyOf<UserProfile>(profileReply)
  const { user } = detail
  const href = userHref(user.id)
  const csrf = csrfInput(call.frame)
  const action = (path: string, labelKey: MessageKey, extra = "") =>
    `<form class="quiet" method="post" action="${escapeHtml(href)}/${path}">${csrf}${extra}<button type="submit">${tHtml(locale, labelKey)}</button></form>`
  const done = DONE_NOTICES[call.url.searchParams.get("done") ?? ""]
  const errors = fieldErrorsOf(problem)
  const profileValue = (name: (typeof PROFILE_FIELDS)[number]) =>
    postedProfile !== null ? postedProfile.get(name) ?? "" : String(profile[name] ?? "")

  const account = `<dl class="grid">` +
    `<div><dt>${tHtml(locale, "console.users.id")}</dt><dd><code>${escapeHtml(user.id)}</code></dd></div>` +
    `<div><dt>${tHtml(locale, "console.users.email")}</dt><dd>${escapeHtml(user.email)} ${tHtml(locale, user.emailVerified ? "console.users.verified" : "console.users.unverified")}</dd></div>` +
    `<div><dt>${tHtml(locale, "console.users.state")}</dt><dd>${tHtml(locale, user.disabled ? "console.users.disabled" : "console.users.active")}${user.disabled ? ` (${escapeHtml(timeText(user.disabledAt))})` : ""}</dd></div>` +
    `<div><dt>${tHtml(locale, "console.users.created")}</dt><dd>${escapeHtml(timeText(user.createdAt))}</dd></div>` +
    `<div><dt>${tHtml(locale, "console.users.credentials")}</dt><dd>${tHtml(locale, "console.users.credentialSummary", {
      password: t(locale, detail.hasPassword ? "console.yes" : "console.no"), passkeys: detail.passkeyCount,
      totp: t(locale, detail.totpEnabled ? "console.yes" : "console.no"), codes: detail.recoveryCodesLeft
    })}</dd></div>` +
    `<div><dt>${tHtml(locale, "console.users.upstream")}</dt><dd>${detail.upstreamLinks.length === 0 ? "—" : detail.upstreamLinks.map((l) => escapeHtml(`${l.providerId}: ${l.email ?? l.subject}`)).join("<br>")}</dd></div>` +
    `</dl>`

  const actions = `<div class="actions">` +
    (user.disabled ? action("enable", "console.users.enable") : action("disable", "console.users.disable")) +
    action("sessions/revoke", "console.users.revokeSessions") +
    (detail.totpEnabled ? action("mfa/reset", "console.users.resetMfa") : "") +
    `<a class="danger" href="${escapeHtml(href)}/delete">${tHtml(locale, "console.users.delete")}</a></div>`

  const profileForm = `<form method="post" action="${escapeHtml(href)}/profile" novalidate>${csrf}<div class="grid">` +
    inputField({ name: "name", label: "name", value: postedProfile?.get("name") ?? user.name ?? "", errors }) +
    PROFILE_FIELDS.map((name) => inputField({ name, label: name, value: profileValue(name), errors })).join("") + `</div>` +
    checkboxField({ name: "phone_number_verified", label: "phone_number_verified", checked: postedProfile !== null ? postedProfile.has("phone_number_verified") : profile.phone_number_verified === true }) +
    `<button type="submit">${tHtml(locale, "console.users.saveProfile")}</button></form>`

  const heldIds = new Set(detail.roles.map((r) => r.id))
  const allRoles = rolesResult.ok ? bodyOf<{ roles: ReadonlyArray<Role> }>(rolesResult.reply).roles : []
  const assignable = allRoles.filter((r) => !heldIds.has(r.id))
  const roles = (detail.roles.length === 0 ? `<p>${tHtml(locale, "console.users.noRoles")}</p>` :
    `<ul>${detail.roles.map((r) => `<li>${escapeHtml(r.name)} ${action(`roles/${encodeURIComponent(r.id)}/unassign`, "console.users.unassign")}</li>`).join("")}</ul>`) +
    (assignable.length === 0 ? "" :
      `<form method="post" action="${escapeHtml(href)}/roles/assign" class="actions">${csrf}` +
      selectField({ name: "roleId", label: t(locale, "console.users.role"), options: assignable.map((r) => [r.id, r.name] as const) }) +
      `<button type="submit">${tHtml(locale, "console.users.assign")}</button></form>`)

  const sessions = !sessionsResult.ok ? problemBanner(locale, sessionsResult.problem) : (() => {
    const list = bodyOf<{ sessions: ReadonlyArray<Session> }>(sessionsResult.reply).sessions
    return list.length === 0 ? `<p>${tHtml(locale, "console.users.noSessions")}</p>` :
      `<div class="scroll"><table><thead><tr><th scope="col">${tHtml(locale, "console.users.signedIn")}</th><th scope="col">${tHtml(locale, "console.users.methods")}</th>` +
      `<th scope="col">${tHtml(locale, "console.users.device")}</th><th scope="col">${tHtml(locale, "console.users.expires")}</th><th scope="col"><span class="muted">—</span></th></tr></thead><tbody>` +
      list.map((s) => `<tr><td>${escapeHtml(timeText(s.authTime))}</td><td>${escapeHtml(s.amr.join(", "))}</td><td>${escapeHtml(s.deviceName ?? s.userAgent ?? "—")}${s.ipAddress === null ? "" : ` · ${escapeHtml(s.ipAddress)}`}</td>` +
        `<td>${escapeHtml(timeText(s.expiresAt))}</td><td>${action(`sessions/${encodeURIComponent(s.id)}/revoke`, "console.users.endSession")}</td></tr>`).join("") + `</tbody></table></div>`
  })()

  const consents = !consentsResult.ok ? problemBanner(locale, consentsResult.problem) : (() => {
    const list = bodyOf<{ consents: ReadonlyArray<AdminConsent> }>(consentsResult.reply).consents
    return list.length === 0 ? `<p>${tHtml(locale, "console.users.noConsents")}</p>` :
      `<ul>${list.map((c) => `<li><code>${escapeHtml(c.clientId)}</code>: ${escapeHtml(c.scopes.join(" "))} <span class="muted">${escapeHtml(timeText(c.grantedAt))}</span> ` +
        action(`consents/${encodeURIComponent(c.clientId)}/revoke`, "console.users.revokeConsent") + `</li>`).join("")}</ul>`
  })()

  const customFields = yield* userCustomFieldsSection(call, user.id, href, postedCustom, errors)

  return consolePage(call.frame, user.email,
    `<h1>${escapeHtml(user.name ?? user.email)}</h1>` + notice(done === undefined ? null : t(locale, done)) + problemBanner(locale, problem, href) +
      account + actions +
      `<h2>${tHtml(locale, "console.users.roles")}</h2>${roles}` +
      `<h2>${tHtml(locale, "console.users.sessions")}</h2>${sessions}` +
      `<h2>${tHtml(locale, "console.users.consents")}</h2>${consents}` +
      `<h2>${tHtml(locale, "console.users.profile")}</h2>${profileForm}` + customFields + userAvatarSection(call.frame, href, profile.picture, errors),
    { status: problem === null ? 200 : problem.status })
})

/** `GET /admin/users/{userId}`. */
export const userDetailPage = (call: ConsoleCall) => detailPage(call, null, null)

/** A POST action on the user: on success back to the detail page with a notice, else the detail page with the problem. */
const userAction = (operationId: string, done: string, input: (call: ConsoleCall) => { params?: Record<string, string>; body?: unknown } = () => ({})) =>
  Effect.fnUntraced(function*(call: ConsoleCall) {
    const userId = call.params["userId"]!
    const extra = input(call)
    const result = yield* tryOperation(call, operationId, { ...extra, params: { userId, ...extra.params } })
    if (result.ok) return seeOther(`${userHref(userId)}?done=${done}`)
    return yield* detailPage(call, result.problem, null)
  })

export const disableUser = userAction("disableUser", "disabled")
export const enableUser = userAction("enableUser", "enabled")
export const revokeUserSessions = userAction("revokeUserSessions", "sessions")
export const revokeUserSession = userAction("revokeUserSession", "session", (call) => ({ params: { sessionId: call.params["sessionId"]! } }))
export const resetUserMfa = userAction("resetUserMfa", "mfa")
export const assignUserRole = userAction("assignRole", "roles", (call) => ({ params: { roleId: call.form.get("roleId") ?? "" } }))
export const unassignUserRole = userAction("unassignRole", "roles", (call) => ({ params: { roleId: call.params["roleId"]! } }))
export const revokeUserConsent = userAction("revokeUserConsent", "consent", (call) => ({ params: { clientId: call.params["clientId"]! } }))

/** `POST /admin/users/{userId}/profile`: blank fields clear the claim (null), as the API's patch does. */
export const updateUserProfile = Effect.fnUntraced(function*(call: ConsoleCall) {
  const userId = call.params["userId"]!
  const body: Record<string, unknown> = Object.fromEntries(["name", ...PROFILE_FIELDS].map((name) => [name, textOrNull(call.form.get(name))]))
  body["phone_number_verified"] = call.form.has("phone_number_verified")
  const result = yield* tryOperation(call, "updateUserProfile", { params: { userId }, body })
  if (result.ok) return seeOther(`${userHref(userId)}?done=profile`)
  return yield* detailPage(call, result.problem, call.form)
})

/** `POST /admin/users/{userId}/custom-fields`: the user's custom values (console_user_custom_fields.ts). */
export const updateUserCustomValues = Effect.fnUntraced(function*(call: ConsoleCall) {
  const userId = call.params["userId"]!
  const patch = yield* customValuesPatch(call, userId)
  if (!patch.ok) return yield* detailPage(call, patch.problem, null, call.form)
  const result = yield* tryOperation(call, "updateUserCustomFields", { params: { userId }, body: { values: patch.patch } })
  if (result.ok) return seeOther(`${userHref(userId)}?done=customFields`)
  return yield* detailPage(call, result.problem, null, call.form)
})

/** `POST /admin/users/{userId}/avatar` (multipart, field `avatar`): the image's bytes to `setUserAvatar`. */
export const uploadUserAvatar = userAction("setUserAvatar", "avatar", (call) => ({ body: call.files?.get("avatar") ?? new Uint8Array() }))
/** `POST /admin/users/{userId}/avatar/remove`. */
export const removeUserAvatar = userAction("removeUserAvatar", "avatarRemoved")
/** The upload route's cap: the image limit (the router adds room for the form's other parts). */
export const USER_AVATAR_UPLOAD = { maxBytes: MAX_AVATAR_UPLOAD_BYTES }

const deletePage = (call: ConsoleCall, user: AdminUser, problem: AdminProblem | null) => {
  const { locale } = call.frame
  const href = userHref(user.id)
  return consolePage(call.frame, t(locale, "console.users.delete"),
    `<h1>${tHtml(locale, "console.users.delete")}</h1>${problemBanner(locale, problem, `${href}/delete`)}` +
      `<p>${tHtml(locale, "console.users.deleteConfirm", { email: user.email })}</p>` +
      `<form method="post" action="${escapeHtml(href)}/delete">${csrfInput(call.frame)}${versionInput(user.version)}` +
      `<button type="submit" class="danger">${tHtml(locale, "console.deleteForever")}</button> <a href="${escapeHtml(href)}">${tHtml(locale, "console.cancel")}</a></form>`,
    { status: problem === null ? 200 : problem.status })
}

const readUser = (call: ConsoleCall) => Effect.map(runOperation(call, "getUser", { params: { userId: call.params["userId"]! } }), (r) => bodyOf<AdminUserDetail>(r).user)

/** `GET /admin/users/{userId}/delete`. */
export const confirmDeleteUser = Effect.fnUntraced(function*(call: ConsoleCall) {
  return deletePage(call, yield* readUser(call), null)
})

/** `POST /admin/users/{userId}/delete`. */
export const deleteUser = Effect.fnUntraced(function*(call: ConsoleCall) {
  const userId = call.params["userId"]!
  const result = yield* tryOperation(call, "deleteUser", { params: { userId }, ifMatch: versionOf(call.form) })
  if (result.ok) return seeOther(`/admin/users?deleted=${encodeURIComponent(userId)}`)
  return deletePage(call, yield* readUser(call), result.problem)
})
