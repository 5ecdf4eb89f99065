/**
 * Upstream identity providers in the console (issue 12 §2): list, add, edit (version in
 * a hidden field → If-Match), enable / disable, delete after a confirmation (the users'
 * links to it go; their accounts stay). The client secret is WRITE-ONLY: the form never
 * shows it; a blank secret field keeps the stored one, "remove" clears it.
 * The `*IdentityProvider*` operations (admin_identity_providers_routes.ts).
 */
import type { IdentityProviderView } from "@authrim/contracts"
import { Effect } from "effect"
import type { AdminProblem } from "../admin/admin_problem.ts"
import type { Locale } from "../i18n/locale.ts"
import { t, tHtml } from "../i18n/translate.ts"
import type { MessageKey } from "../i18n/messages_en.ts"
import { seeOther } from "../http/redirect.ts"
import { escapeHtml } from "../pages/html.ts"
import { bodyOf, runOperation, tryOperation, type ConsoleCall } from "./console_call.ts"
import {
  checkboxField, fieldErrorsOf, inputField, notice, problemBanner, selectField, textOrNull, timeText, versionInput, versionOf, type FieldErrors
} from "./console_forms.ts"
import { consolePage, csrfInput } from "./console_layout.ts"

const LIST = "/admin/identity-providers"
const providerHref = (id: string) => `${LIST}/${encodeURIComponent(id)}`

const URL_FIELDS = ["issuer", "authorizationEndpoint", "tokenEndpoint", "userinfoEndpoint"] as const
const CLAIMS = ["sub", "email", "emailVerified", "name"] as const

type Values = Readonly<Record<string, string>>

const valuesOfProvider = (p: IdentityProviderView): Values => ({
  id: p.id, providerType: p.providerType, name: p.name, clientId: p.clientId, scopes: (p.scopes ?? []).join(" "),
  tokenEndpointAuthMethod: p.tokenEndpointAuthMethod ?? "",
  ...Object.fromEntries(URL_FIELDS.map((f) => [f, p[f] ?? ""])),
  ...Object.fromEntries(CLAIMS.map((c) => [`claims.${c}`, p.claims?.[c] ?? ""])),
  enabled: p.enabled ? "on" : ""
})

const valuesOfForm = (form: URLSearchParams): Values => ({
  ...Object.fromEntries(["id", "providerType", "name", "clientId", "scopes", "tokenEndpointAuthMethod", ...URL_FIELDS, ...CLAIMS.map((c) => `claims.${c}`)]
    .map((name) => [name, form.get(name) ?? ""])),
  enabled: form.has("enabled") ? "on" : ""
})

const claimsOf = (form: URLSearchParams): Record<string, string> | null => {
  const claims = Object.fromEntries(CLAIMS.flatMap((c) => {
    const value = textOrNull(form.get(`claims.${c}`))
    return value === null ? [] : [[c, value]]
  }))
  return Object.keys(claims).length === 0 ? null : claims
}

const scopesOf = (form: URLSearchParams): Array<string> | null => {
  const scopes = (form.get("scopes") ?? "").split(/\s+/).filter((s) => s !== "")
  return scopes.length === 0 ? null : scopes
}

/** The create body: blank optional fields absent. */
const newBody = (form: URLSearchParams) => {
  const optional: Record<string, unknown> = {}
  for (const name of [...URL_FIELDS, "tokenEndpointAuthMethod"] as const) {
    const value = textOrNull(form.get(name))
    if (value !== null) optional[name] = value
  }
  const secret = form.get("clientSecret") ?? ""
  const scopes = scopesOf(form)
  const claims = claimsOf(form)
  return {
    id: (form.get("id") ?? "").trim(), providerType: form.get("providerType") ?? "", name: (form.get("name") ?? "").trim(),
    clientId: (form.get("clientId") ?? "").trim(), enabled: form.has("enabled"), ...optional,
    ...(secret === "" ? {} : { clientSecret: secret }), ...(scopes === null ? {} : { scopes }), ...(claims === null ? {} : { claims })
  }
}

/** The change body: blank optional fields cleared (null); the secret only when typed (or removed). */
const changesBody = (form: URLSearchParams) => {
  const secret = form.get("clientSecret") ?? ""
  return {
    name: (form.get("name") ?? "").trim(), clientId: (form.get("clientId") ?? "").trim(),
    ...Object.fromEntries([...URL_FIELDS, "tokenEndpointAuthMethod"].map((name) => [name, textOrNull(form.get(name))])),
    scopes: scopesOf(form), claims: claimsOf(form),
    ...(form.has("removeSecret") ? { clientSecret: null } : secret === "" ? {} : { clientSecret: secret })
  }
}

const providerFields = (locale: Locale, values: Values, errors: FieldErrors, existing: IdentityProviderView | null) => {
  const text = (name: string, labelKey: MessageKey, extra: { hint?: string; attributes?: string; type?: string } = {}) =>
    inputField({ name, label: t(locale, labelKey), value: values[name] ?? "", errors, ...extra })
  const identity = existing === null
    ? text("id", "console.providers.id", { hint: t(locale, "console.providers.idHint"), attributes: `required spellcheck="false"` }) +
      selectField({ name: "providerType", label: t(locale, "console.providers.type"), value: values["providerType"] ?? "oidc", errors,
        options: [["oidc", t(locale, "console.providers.type.oidc")], ["oauth2", t(locale, "console.providers.type.oauth2")]] })
    : ""
  const secretHint = t(locale, existing === null ? "console.providers.secretHintNew" : existing.hasClientSecret ? "console.providers.secretHintKeep" : "console.providers.secretHintNone")
  return `<div class="grid">` + identity +
    text("name", "console.providers.name", { attributes: "required" }) +
    text("clientId", "console.providers.clientId", { attributes: `required spellcheck="false" autocomplete="off"` }) +
    inputField({ name: "clientSecret", label: t(locale, "console.providers.clientSecret"), value: "", errors, type: "password", hint: secretHint, attributes: `autocomplete="new-password"` }) +
    text("scopes", "console.providers.scopes", { hint: t(locale, "console.providers.scopesHint"), attributes: `spellcheck="false"` }) +
    selectField({ name: "tokenEndpointAuthMethod", label: t(locale, "console.providers.authMethod"), value: values["tokenEndpointAuthMethod"] ?? "", errors,
      options: [["", t(locale, "console.providers.authMethodDefault")], ["client_secret_basic", "client_secret_basic"], ["client_secret_post", "client_secret_post"]] }) +
    `</div>` +
    (existing?.hasClientSecret === true ? checkboxField({ name: "removeSecret", label: t(locale, "console.providers.removeSecret"), checked: false }) : "") +
    `<fieldset><legend>${tHtml(locale, "console.providers.endpoints")}</legend><p class="hint">${tHtml(locale, "console.providers.endpointsHint")}</p><div class="grid">` +
    text("issuer", "console.providers.issuer", { type: "url", attributes: `spellcheck="false"` }) +
    text("authorizationEndpoint", "console.providers.authorizationEndpoint", { type: "url", attributes: `spellcheck="false"` }) +
    text("tokenEndpoint", "console.providers.tokenEndpoint", { type: "url", attributes: `spellcheck="false"` }) +
    text("userinfoEndpoint", "console.providers.userinfoEndpoint", { type: "url", attributes: `spellcheck="false"` }) +
    `</div></fieldset>` +
    `<fieldset><legend>${tHtml(locale, "console.providers.claims")}</legend><p class="hint">${tHtml(locale, "console.providers.claimsHint")}</p><div class="grid">` +
    CLAIMS.map((c) => inputField({ name: `claims.${c}`, label: t(locale, "console.providers.claimField", { claim: c }), value: values[`claims.${c}`] ?? "", errors, attributes: `spellcheck="false"` })).join("") +
    `</div></fieldset>` +
    (existing === null ? checkboxField({ name: "enabled", label: t(locale, "console.providers.enabledOnCreate"), checked: values["enabled"] === "on" }) : "")
}

/** `GET /admin/identity-providers`. */
export const identityProvidersListPage = Effect.fnUntraced(function*(call: ConsoleCall) {
  const { locale } = call.frame
  const { providers } = bodyOf<{ providers: ReadonlyArray<IdentityProviderView> }>(yield* runOperation(call, "listIdentityProviders"))
  const deleted = call.url.searchParams.get("deleted")
  const rows = providers.map((p) =>
    `<tr><td><a href="${escapeHtml(providerHref(p.id))}">${escapeHtml(p.name)}</a></td><td><code>${escapeHtml(p.id)}</code></td>` +
    `<td>${escapeHtml(t(locale, `console.providers.type.${p.providerType}` as MessageKey))}</td>` +
    `<td>${tHtml(locale, p.enabled ? "console.providers.enabled" : "console.providers.disabled")}</td>` +
    `<td>${tHtml(locale, p.hasClientSecret ? "console.yes" : "console.no")}</td><td>${escapeHtml(timeText(p.updatedAt))}</td></tr>`).join("")
  return consolePage(call.frame, t(locale, "console.providers.title"),
    `<h1>${tHtml(locale, "console.providers.title")}</h1>` + notice(deleted === null ? null : t(locale, "console.providers.deletedNotice", { id: deleted })) +
      `<p class="muted">${tHtml(locale, "console.providers.intro")}</p>` +
      `<p><a class="primary" href="${LIST}/new">${tHtml(locale, "console.providers.new")}</a></p>` +
      (providers.length === 0 ? `<p>${tHtml(locale, "console.providers.none")}</p>` :
        `<div class="scroll"><table><thead><tr><th scope="col">${tHtml(locale, "console.providers.name")}</th><th scope="col">${tHtml(locale, "console.providers.id")}</th>` +
        `<th scope="col">${tHtml(locale, "console.providers.type")}</th><th scope="col">${tHtml(locale, "console.providers.state")}</th>` +
        `<th scope="col">${tHtml(locale, "console.providers.secretStored")}</th><th scope="col">${tHtml(locale, "console.providers.updated")}</th></tr></thead><tbody>${rows}</tbody></table></div>`))
})

const newPage = (call: ConsoleCall, values: Values, problem: AdminProblem | null) => {
  const { locale } = call.frame
  return consolePage(call.frame, t(locale, "console.providers.new"),
    `<p><a href="${LIST}">${tHtml(locale, "console.providers.back")}</a></p><h1>${tHtml(locale, "console.providers.new")}</h1>${problemBanner(locale, problem)}` +
      `<form method="post" action="${LIST}/new" novalidate>${csrfInput(call.frame)}${providerFields(locale, values, fieldErrorsOf(problem), null)}` +
      `<button type="submit">${tHtml(locale, "console.providers.create")}</button></form>`,
    { status: problem === null ? 200 : problem.status })
}

/** `GET /admin/identity-providers/new`. */
export const newIdentityProviderForm = (call: ConsoleCall) =>
  Effect.succeed(newPage(call, { providerType: "oidc", scopes: "openid email profile", enabled: "on" }, null))

/** `POST /admin/identity-providers/new`. */
export const createIdentityProvider = Effect.fnUntraced(function*(call: ConsoleCall) {
  const result = yield* tryOperation(call, "createIdentityProvider", { body: newBody(call.form) })
  if (result.ok) return seeOther(`${providerHref(bodyOf<IdentityProviderView>(result.reply).id)}?done=created`)
  return newPage(call, valuesOfForm(call.form), result.problem)
})

const readProvider = (call: ConsoleCall) =>
  Effect.map(runOperation(call, "getIdentityProvider", { params: { providerId: call.params["providerId"]! } }), (reply) => bodyOf<IdentityProviderView>(reply))

const DONE: Readonly<Record<string, MessageKey>> = {
  created: "console.providers.createdNotice", saved: "console.savedNotice", enabled: "console.providers.enabledNotice", disabled: "console.providers.disabledNotice"
}

const editPage = (call: ConsoleCall, provider: IdentityProviderView, values: Values, problem: AdminProblem | null) => {
  const { locale } = call.frame
  const href = providerHref(provider.id)
  const csrf = csrfInput(call.frame)
  const done = DONE[call.url.searchParams.get("done") ?? ""]
  return consolePage(call.frame, provider.name,
    `<p><a href="${LIST}">${tHtml(locale, "console.providers.back")}</a></p><h1>${escapeHtml(provider.name)}</h1>` +
      `<p class="muted"><code>${escapeHtml(provider.id)}</code> · ${escapeHtml(t(locale, `console.providers.type.${provider.providerType}` as MessageKey))} · ` +
      `${tHtml(locale, provider.enabled ? "console.providers.enabled" : "console.providers.disabled")} · ${tHtml(locale, "console.version", { version: provider.version })}</p>` +
      notice(done === undefined ? null : t(locale, done)) + problemBanner(locale, problem, href) +
      `<form class="quiet" method="post" action="${escapeHtml(href)}/${provider.enabled ? "disable" : "enable"}">${csrf}` +
      `<button type="submit">${tHtml(locale, provider.enabled ? "console.providers.disable" : "console.providers.enable")}</button></form>` +
      `<form method="post" action="${escapeHtml(href)}" novalidate>${csrf}${versionInput(provider.version)}${providerFields(locale, values, fieldErrorsOf(problem), provider)}` +
      `<button type="submit">${tHtml(locale, "console.save")}</button></form>` +
      `<h2>${tHtml(locale, "console.dangerZone")}</h2><p><a class="danger" href="${escapeHtml(href)}/delete">${tHtml(locale, "console.providers.delete")}</a></p>`,
    { status: problem === null ? 200 : problem.status })
}

/** `GET /admin/identity-providers/{providerId}`. */
export const editIdentityProviderForm = Effect.fnUntraced(function*(call: ConsoleCall) {
  const provider = yield* readProvider(call)
  return editPage(call, provider, valuesOfProvider(provider), null)
})

/** `POST /admin/identity-providers/{providerId}`. */
export const updateIdentityProvider = Effect.fnUntraced(function*(call: ConsoleCall) {
  const providerId = call.params["providerId"]!
  const result = yield* tryOperation(call, "updateIdentityProvider", { params: { providerId }, body: changesBody(call.form), ifMatch: versionOf(call.form) })
  if (result.ok) return seeOther(`${providerHref(providerId)}?done=saved`)
  const current = yield* readProvider(call)
  return editPage(call, current, { ...valuesOfForm(call.form), id: current.id, providerType: current.providerType }, result.problem)
})

const enabledAction = (enabled: boolean) => Effect.fnUntraced(function*(call: ConsoleCall) {
  const providerId = call.params["providerId"]!
  const result = yield* tryOperation(call, enabled ? "enableIdentityProvider" : "disableIdentityProvider", { params: { providerId } })
  if (result.ok) return seeOther(`${providerHref(providerId)}?done=${enabled ? "enabled" : "disabled"}`)
  const current = yield* readProvider(call)
  return editPage(call, current, valuesOfProvider(current), result.problem)
})

/** `POST /admin/identity-providers/{providerId}/enable`. */
export const enableIdentityProvider = enabledAction(true)
/** `POST /admin/identity-providers/{providerId}/disable`. */
export const disableIdentityProvider = enabledAction(false)

const deletePage = (call: ConsoleCall, provider: IdentityProviderView, problem: AdminProblem | null) => {
  const { locale } = call.frame
  const href = providerHref(provider.id)
  return consolePage(call.frame, t(locale, "console.providers.delete"),
    `<h1>${tHtml(locale, "console.providers.delete")}</h1>${problemBanner(locale, problem, `${href}/delete`)}` +
      `<p>${tHtml(locale, "console.providers.deleteConfirm", { name: provider.name })}</p>` +
      `<form method="post" action="${escapeHtml(href)}/delete">${csrfInput(call.frame)}${versionInput(provider.version)}` +
      `<button type="submit" class="danger">${tHtml(locale, "console.deleteForever")}</button> <a href="${escapeHtml(href)}">${tHtml(locale, "console.cancel")}</a></form>`,
    { status: problem === null ? 200 : problem.status })
}

/** `GET /admin/identity-providers/{providerId}/delete`. */
export const confirmDeleteIdentityProvider = Effect.fnUntraced(function*(call: ConsoleCall) {
  return deletePage(call, yield* readProvider(call), null)
})

/** `POST /admin/identity-providers/{providerId}/delete`. */
export const deleteIdentityProvider = Effect.fnUntraced(function*(call: ConsoleCall) {
  const providerId = call.params["providerId"]!
  const result = yield* tryOperation(call, "deleteIdentityProvider", { params: { providerId }, ifMatch: versionOf(call.form) })
  if (result.ok) return seeOther(`${LIST}?deleted=${encodeURIComponent(providerId)}`)
  return deletePage(call, yield* readProvider(call), result.problem)
})
