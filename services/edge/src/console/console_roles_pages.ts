/**
 * Roles in the console: list, create, edit (name, description, permissions; version in a
 * hidden field → If-Match), delete with the role's version (a button on the edit page).
 */
import { PERMISSIONS, type Role } from "@authrim/contracts"
import { Effect } from "effect"
import type { AdminProblem } from "../admin/admin_problem.ts"
import type { Locale } from "../i18n/locale.ts"
import { t, tHtml } from "../i18n/translate.ts"
import { seeOther } from "../http/redirect.ts"
import { escapeHtml } from "../pages/html.ts"
import { bodyOf, runOperation, tryOperation, type ConsoleCall } from "./console_call.ts"
import { checkboxField, fieldErrorsOf, inputField, notice, problemBanner, textOrNull, versionInput, versionOf, type FieldErrors } from "./console_forms.ts"
import { consolePage, csrfInput } from "./console_layout.ts"

const roleHref = (roleId: string) => `/admin/roles/${encodeURIComponent(roleId)}`

interface RoleValues { readonly name: string; readonly description: string; readonly permissions: ReadonlyArray<string> }

const roleFields = (locale: Locale, values: RoleValues, errors: FieldErrors) =>
  inputField({ name: "name", label: t(locale, "console.roles.name"), value: values.name, errors, attributes: "required" }) +
  inputField({ name: "description", label: t(locale, "console.roles.description"), value: values.description, errors }) +
  `<fieldset><legend>${tHtml(locale, "console.roles.permissions")}</legend>` +
  PERMISSIONS.map((p) => checkboxField({ name: "permissions", value: p, label: p, checked: values.permissions.includes(p) })).join("") +
  (errors.get("permissions") === undefined ? "" : `<p class="field-error">${escapeHtml(errors.get("permissions")!)}</p>`) + `</fieldset>`

const valuesOfForm = (form: URLSearchParams): RoleValues =>
  ({ name: form.get("name") ?? "", description: form.get("description") ?? "", permissions: form.getAll("permissions") })

const bodyOfForm = (form: URLSearchParams) =>
  ({ name: (form.get("name") ?? "").trim(), description: textOrNull(form.get("description")), permissions: form.getAll("permissions") })

const listPage = Effect.fnUntraced(function*(call: ConsoleCall, values: RoleValues, problem: AdminProblem | null) {
  const { locale } = call.frame
  const roles = bodyOf<{ roles: ReadonlyArray<Role> }>(yield* runOperation(call, "listRoles")).roles
  const done = call.url.searchParams.get("done")
  return consolePage(call.frame, t(locale, "console.roles.title"),
    `<h1>${tHtml(locale, "console.roles.title")}</h1>` + notice(done === "deleted" ? t(locale, "console.roles.deletedNotice") : null) +
      `<div class="scroll"><table><thead><tr><th scope="col">${tHtml(locale, "console.roles.name")}</th><th scope="col">${tHtml(locale, "console.roles.description")}</th>` +
      `<th scope="col">${tHtml(locale, "console.roles.permissions")}</th></tr></thead><tbody>` +
      roles.map((r) => `<tr><td><a href="${escapeHtml(roleHref(r.id))}">${escapeHtml(r.name)}</a></td><td>${escapeHtml(r.description ?? "—")}</td><td>${escapeHtml(r.permissions.join(", "))}</td></tr>`).join("") +
      `</tbody></table></div><h2>${tHtml(locale, "console.roles.new")}</h2>${problemBanner(locale, problem)}` +
      `<form method="post" action="/admin/roles" novalidate>${csrfInput(call.frame)}${roleFields(locale, values, fieldErrorsOf(problem))}` +
      `<button type="submit">${tHtml(locale, "console.roles.create")}</button></form>`,
    { status: problem === null ? 200 : problem.status })
})

/** `GET /admin/roles`. */
export const rolesListPage = (call: ConsoleCall) => listPage(call, { name: "", description: "", permissions: [] }, null)

/** `POST /admin/roles`. */
export const createRole = Effect.fnUntraced(function*(call: ConsoleCall) {
  const result = yield* tryOperation(call, "createRole", { body: bodyOfForm(call.form) })
  if (result.ok) return seeOther(`${roleHref(bodyOf<Role>(result.reply).id)}?saved=1`)
  return yield* listPage(call, valuesOfForm(call.form), result.problem)
})

const editPage = (call: ConsoleCall, role: Role, values: RoleValues, problem: AdminProblem | null) => {
  const { locale } = call.frame
  const href = roleHref(role.id)
  return consolePage(call.frame, role.name,
    `<h1>${escapeHtml(role.name)}</h1><p class="muted">${tHtml(locale, "console.version", { version: role.version })}</p>` +
      notice(call.url.searchParams.get("saved") === "1" ? t(locale, "console.savedNotice") : null) + problemBanner(locale, problem, href) +
      `<form method="post" action="${escapeHtml(href)}" novalidate>${csrfInput(call.frame)}${versionInput(role.version)}${roleFields(locale, values, fieldErrorsOf(problem))}` +
      `<button type="submit">${tHtml(locale, "console.save")}</button></form>` +
      `<h2>${tHtml(locale, "console.dangerZone")}</h2><form class="quiet" method="post" action="${escapeHtml(href)}/delete">${csrfInput(call.frame)}${versionInput(role.version)}` +
      `<p>${tHtml(locale, "console.roles.deleteHint")}</p><button type="submit" class="danger">${tHtml(locale, "console.roles.delete")}</button></form>`,
    { status: problem === null ? 200 : problem.status })
}

const readRole = (call: ConsoleCall) => Effect.map(runOperation(call, "getRole", { params: { roleId: call.params["roleId"]! } }), (r) => bodyOf<Role>(r))

/** `GET /admin/roles/{roleId}`. */
export const editRoleForm = Effect.fnUntraced(function*(call: ConsoleCall) {
  const role = yield* readRole(call)
  return editPage(call, role, { name: role.name, description: role.description ?? "", permissions: role.permissions }, null)
})

/** `POST /admin/roles/{roleId}`. */
export const updateRole = Effect.fnUntraced(function*(call: ConsoleCall) {
  const roleId = call.params["roleId"]!
  const result = yield* tryOperation(call, "updateRole", { params: { roleId }, body: bodyOfForm(call.form), ifMatch: versionOf(call.form) })
  if (result.ok) return seeOther(`${roleHref(roleId)}?saved=1`)
  return editPage(call, yield* readRole(call), valuesOfForm(call.form), result.problem)
})

/** `POST /admin/roles/{roleId}/delete`. */
export const deleteRole = Effect.fnUntraced(function*(call: ConsoleCall) {
  const roleId = call.params["roleId"]!
  const result = yield* tryOperation(call, "deleteRole", { params: { roleId }, ifMatch: versionOf(call.form) })
  if (result.ok) return seeOther("/admin/roles?done=deleted")
  const role = yield* readRole(call)
  return editPage(call, role, { name: role.name, description: role.description ?? "", permissions: role.permissions }, result.problem)
})
