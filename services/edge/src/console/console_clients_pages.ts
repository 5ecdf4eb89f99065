/**
 * Clients in the console: list, create (the secret shown once, on the answer to the
 * creating POST — never stored, never in a URL, never shown again), edit (version in
 * a hidden field → the operation's If-Match), rotate the secret (shown once), delete
 * after a confirmation page. Every write is the admin API's operation (console_call.ts).
 */
import type { ClientRecord } from "@authrim/contracts"
import { Effect } from "effect"
import type { AdminProblem } from "../admin/admin_problem.ts"
import type { Locale } from "../i18n/locale.ts"
import { t, tHtml } from "../i18n/translate.ts"
import { seeOther } from "../http/redirect.ts"
import { randomToken } from "../http/random_token.ts"
import { escapeHtml } from "../pages/html.ts"
import { bodyOf, runOperation, tryOperation, type ConsoleCall } from "./console_call.ts"
import {
  checkboxField, fieldErrorsOf, inputField, linesOf, notice, problemBanner, selectField, textAreaField, textOrNull, timeText,
  versionInput, versionOf, type FieldErrors
} from "./console_forms.ts"
import { consolePage, csrfInput } from "./console_layout.ts"
import { COPY_SCRIPT } from "./console_copy_script.ts"
import {
  NEW_PROTOCOL_VALUES, protocolFields, protocolSettingsOfForm, protocolValuesOfClient, protocolValuesOfForm, type ProtocolFieldValues
} from "./console_client_protocol_fields.ts"

interface ClientPage { readonly clients: ReadonlyArray<ClientRecord>; readonly nextCursor: string | null }
interface ClientWithSecret { readonly client: ClientRecord; readonly clientSecret: string | null }

// Every grant type a client may be registered for (contracts ClientGrantType): one the console did not list would be dropped by an edit.
const GRANT_TYPES = ["authorization_code", "refresh_token", "client_credentials", "urn:ietf:params:oauth:grant-type:device_code", "urn:ietf:params:oauth:grant-type:token-exchange"] as const
const AUTH_METHODS = ["client_secret_basic", "client_secret_post", "private_key_jwt", "none"] as const

const clientHref = (clientId: string) => `/admin/clients/${encodeURIComponent(clientId)}`

/** `GET /admin/clients`. */
export const clientsListPage = Effect.fnUntraced(function*(call: ConsoleCall) {
  const { locale } = call.frame
  const cursor = call.url.searchParams.get("cursor")
  const page = bodyOf<ClientPage>(yield* runOperation(call, "listClients", { query: { limit: "50", ...(cursor === null ? {} : { cursor }) } }))
  const deleted = call.url.searchParams.get("deleted")
  const rows = page.clients.map((c) =>
    `<tr><td><a href="${escapeHtml(clientHref(c.clientId))}">${escapeHtml(c.clientId)}</a></td><td>${escapeHtml(c.clientName)}</td>` +
    `<td>${escapeHtml(c.tokenEndpointAuthMethod)}</td><td>${escapeHtml(c.redirectUris.join(" "))}</td></tr>`).join("")
  return consolePage(call.frame, t(locale, "console.clients.title"),
    `<h1>${tHtml(locale, "console.clients.title")}</h1>` +
      notice(deleted === null ? null : t(locale, "console.clients.deleted", { clientId: deleted })) +
      `<p><a class="primary" href="/admin/clients/new">${tHtml(locale, "console.clients.new")}</a></p>` +
      `<div class="scroll"><table><caption class="muted">${tHtml(locale, "console.clients.caption")}</caption><thead><tr><th scope="col">${tHtml(locale, "console.clients.clientId")}</th>` +
      `<th scope="col">${tHtml(locale, "console.clients.name")}</th><th scope="col">${tHtml(locale, "console.clients.authMethod")}</th>` +
      `<th scope="col">${tHtml(locale, "console.clients.redirectUris")}</th></tr></thead><tbody>${rows}</tbody></table></div>` +
      (page.nextCursor === null ? "" : `<p><a href="/admin/clients?cursor=${encodeURIComponent(page.nextCursor)}">${tHtml(locale, "console.nextPage")}</a></p>`))
})

/** The client form's fields, filled from `client` (or a refused post) with `errors` beside them. */
const clientFields = (locale: Locale, values: ClientFormValues, errors: FieldErrors, isNew: boolean): string =>
  (isNew ? inputField({ name: "clientId", label: t(locale, "console.clients.clientIdOptional"), value: values.clientId, errors, hint: t(locale, "console.clients.clientIdHint") }) : "") +
  inputField({ name: "clientName", label: t(locale, "console.clients.name"), value: values.clientName, errors, attributes: "required" }) +
  textAreaField({ name: "redirectUris", label: t(locale, "console.clients.redirectUris"), value: values.redirectUris, errors, hint: t(locale, "console.onePerLine") }) +
  textAreaField({ name: "postLogoutRedirectUris", label: t(locale, "console.clients.postLogoutRedirectUris"), value: values.postLogoutRedirectUris, errors, hint: t(locale, "console.onePerLine") }) +
  textAreaField({ name: "resources", label: t(locale, "console.clients.resources"), value: values.resources, errors, hint: t(locale, "console.clients.resourcesHint") }) +
  `<fieldset><legend>${tHtml(locale, "console.clients.grantTypes")}</legend>` +
  GRANT_TYPES.map((g) => checkboxField({ name: "grantTypes", value: g, label: g, checked: values.grantTypes.includes(g) })).join("") +
  (errors.get("grantTypes") === undefined ? "" : `<p class="field-error">${escapeHtml(errors.get("grantTypes")!)}</p>`) + `</fieldset>` +
  selectField({ name: "tokenEndpointAuthMethod", label: t(locale, "console.clients.authMethod"), value: values.tokenEndpointAuthMethod, errors, options: AUTH_METHODS.map((m) => [m, m] as const) }) +
  inputField({ name: "scope", label: t(locale, "console.clients.scope"), value: values.scope, errors }) +
  `<fieldset><legend>${tHtml(locale, "console.clients.requirements")}</legend>` +
  checkboxField({ name: "requirePushedAuthorizationRequests", label: t(locale, "console.clients.requirePar"), checked: values.requirePar }) +
  checkboxField({ name: "dpopBoundAccessTokens", label: t(locale, "console.clients.requireDpop"), checked: values.requireDpop }) +
  checkboxField({ name: "fapiProfile", label: t(locale, "console.clients.fapi2"), checked: values.fapi2 }) +
  checkboxField({ name: "pairwiseSubjects", label: t(locale, "console.clients.pairwise"), checked: values.pairwise }) +
  checkboxField({ name: "skipConsent", label: t(locale, "console.clients.skipConsent"), checked: values.skipConsent }) + `</fieldset>` +
  `<div class="grid">` +
  inputField({ name: "logoUri", label: t(locale, "console.clients.logoUri"), value: values.logoUri, errors, type: "url" }) +
  inputField({ name: "policyUri", label: t(locale, "console.clients.policyUri"), value: values.policyUri, errors, type: "url" }) +
  inputField({ name: "tosUri", label: t(locale, "console.clients.tosUri"), value: values.tosUri, errors, type: "url" }) +
  inputField({ name: "backchannelLogoutUri", label: t(locale, "console.clients.backchannelLogoutUri"), value: values.backchannelLogoutUri, errors, type: "url" }) +
  inputField({ name: "frontchannelLogoutUri", label: t(locale, "console.clients.frontchannelLogoutUri"), value: values.frontchannelLogoutUri, errors, type: "url" }) +
  inputField({ name: "sectorIdentifierUri", label: t(locale, "console.clients.sectorIdentifierUri"), value: values.sectorIdentifierUri, errors, type: "url" }) +
  `</div>` +
  protocolFields(locale, values.protocol, errors)

interface ClientFormValues {
  readonly clientId: string
  readonly clientName: string
  readonly redirectUris: string
  readonly postLogoutRedirectUris: string
  /** RFC 8707 resources, one per line. */
  readonly resources: string
  readonly grantTypes: ReadonlyArray<string>
  readonly tokenEndpointAuthMethod: string
  readonly scope: string
  readonly requirePar: boolean
  readonly requireDpop: boolean
  readonly fapi2: boolean
  readonly pairwise: boolean
  readonly sectorIdentifierUri: string
  readonly skipConsent: boolean
  readonly logoUri: string
  readonly policyUri: string
  readonly tosUri: string
  readonly backchannelLogoutUri: string
  readonly frontchannelLogoutUri: string
  readonly protocol: ProtocolFieldValues
}

const valuesOfClient = (c: ClientRecord): ClientFormValues => ({
  clientId: c.clientId, clientName: c.clientName, redirectUris: c.redirectUris.join("\n"), postLogoutRedirectUris: c.postLogoutRedirectUris.join("\n"),
  resources: (c.resources ?? []).join("\n"), grantTypes: c.grantTypes, tokenEndpointAuthMethod: c.tokenEndpointAuthMethod, scope: c.scope, requirePar: c.requirePushedAuthorizationRequests ?? false,
  requireDpop: c.dpopBoundAccessTokens ?? false, fapi2: c.fapiProfile === "fapi2_security",
  pairwise: c.subjectType === "pairwise", sectorIdentifierUri: c.sectorIdentifierUri ?? "", skipConsent: c.skipConsent, logoUri: c.logoUri ?? "", policyUri: c.policyUri ?? "", tosUri: c.tosUri ?? "",
  backchannelLogoutUri: c.backchannelLogoutUri ?? "", frontchannelLogoutUri: c.frontchannelLogoutUri ?? "", protocol: protocolValuesOfClient(c)
})

const valuesOfForm = (form: URLSearchParams): ClientFormValues => ({
  clientId: form.get("clientId") ?? "", clientName: form.get("clientName") ?? "", redirectUris: form.get("redirectUris") ?? "",
  postLogoutRedirectUris: form.get("postLogoutRedirectUris") ?? "", resources: form.get("resources") ?? "", grantTypes: form.getAll("grantTypes"),
  tokenEndpointAuthMethod: form.get("tokenEndpointAuthMethod") ?? "client_secret_basic", scope: form.get("scope") ?? "",
  requirePar: form.has("requirePushedAuthorizationRequests"), requireDpop: form.has("dpopBoundAccessTokens"), fapi2: form.has("fapiProfile"),
  pairwise: form.has("pairwiseSubjects"), sectorIdentifierUri: form.get("sectorIdentifierUri") ?? "", skipConsent: form.has("skipConsent"),
  logoUri: form.get("logoUri") ?? "", policyUri: form.get("policyUri") ?? "", tosUri: form.get("tosUri") ?? "", backchannelLogoutUri: form.get("backchannelLogoutUri") ?? "",
  frontchannelLogoutUri: form.get("frontchannelLogoutUri") ?? "", protocol: protocolValuesOfForm(form)
})

const NEW_CLIENT: ClientFormValues = {
  clientId: "", clientName: "", redirectUris: "", postLogoutRedirectUris: "", resources: "", grantTypes: ["authorization_code", "refresh_token"],
  tokenEndpointAuthMethod: "client_secret_basic", scope: "openid profile email", requirePar: false, requireDpop: false, fapi2: false, pairwise: false, sectorIdentifierUri: "", skipConsent: false,
  logoUri: "", policyUri: "", tosUri: "", backchannelLogoutUri: "", frontchannelLogoutUri: "", protocol: NEW_PROTOCOL_VALUES
}

/** The admin API body of a posted client form: the same JSON a script would send. */
const settingsOfForm = (form: URLSearchParams) => ({
  clientName: (form.get("clientName") ?? "").trim(),
  redirectUris: linesOf(form.get("redirectUris")),
  postLogoutRedirectUris: linesOf(form.get("postLogoutRedirectUris")),
  resources: linesOf(form.get("resources")),
  grantTypes: form.getAll("grantTypes"),
  tokenEndpointAuthMethod: form.get("tokenEndpointAuthMethod") ?? "",
  scope: (form.get("scope") ?? "").trim(),
  requirePushedAuthorizationRequests: form.has("requirePushedAuthorizationRequests"),
  dpopBoundAccessTokens: form.has("dpopBoundAccessTokens"),
  fapiProfile: form.has("fapiProfile") ? "fapi2_security" : null,
  subjectType: form.has("pairwiseSubjects") ? "pairwise" : "public",
  sectorIdentifierUri: textOrNull(form.get("sectorIdentifierUri")),
  skipConsent: form.has("skipConsent"),
  logoUri: textOrNull(form.get("logoUri")),
  policyUri: textOrNull(form.get("policyUri")),
  tosUri: textOrNull(form.get("tosUri")),
  backchannelLogoutUri: textOrNull(form.get("backchannelLogoutUri")),
  frontchannelLogoutUri: textOrNull(form.get("frontchannelLogoutUri")),
  ...protocolSettingsOfForm(form)
})

const newClientPage = (call: ConsoleCall, values: ClientFormValues, problem: AdminProblem | null) => {
  const { locale } = call.frame
  return consolePage(call.frame, t(locale, "console.clients.new"),
    `<h1>${tHtml(locale, "console.clients.new")}</h1>${problemBanner(locale, problem)}` +
      `<form method="post" action="/admin/clients/new" novalidate>${csrfInput(call.frame)}${clientFields(locale, values, fieldErrorsOf(problem), true)}` +
      `<button type="submit">${tHtml(locale, "console.clients.create")}</button></form>`,
    { status: problem === null ? 200 : problem.status })
}

/** `GET /admin/clients/new`. */
export const newClientForm = (call: ConsoleCall) => Effect.succeed(newClientPage(call, NEW_CLIENT, null))

/** The page showing a secret once: the only place it ever appears. */
const secretPage = (call: ConsoleCall, created: ClientWithSecret, headingKey: "console.clients.created" | "console.clients.rotated" | "console.clients.saved") => {
  const { locale } = call.frame
  const secret = created.clientSecret
  return consolePage(call.frame, t(locale, headingKey),
    `<h1>${tHtml(locale, headingKey)}</h1><dl><dt>${tHtml(locale, "console.clients.clientId")}</dt><dd><code>${escapeHtml(created.client.clientId)}</code></dd></dl>` +
      (secret === null ? `<p>${tHtml(locale, "console.clients.noSecret")}</p>` :
        `<p class="notice" role="status">${tHtml(locale, "console.clients.secretOnce")}</p>` +
        `<h2 id="client-secret-label">${tHtml(locale, "console.clients.secret")}</h2><p><code class="secret" id="client-secret" aria-labelledby="client-secret-label">${escapeHtml(secret)}</code></p>` +
        `<p><button type="button" data-copy="client-secret" data-done="${escapeHtml(t(locale, "console.copied"))}" hidden>${tHtml(locale, "console.copy")}</button></p>`) +
      `<p><a href="${escapeHtml(clientHref(created.client.clientId))}">${tHtml(locale, "console.clients.open")}</a> · <a href="/admin/clients">${tHtml(locale, "console.clients.backToList")}</a></p>`,
    secret === null ? {} : { status: 200, script: { nonce: randomToken(16), source: COPY_SCRIPT } })
}

/** `POST /admin/clients/new`. */
export const createClient = Effect.fnUntraced(function*(call: ConsoleCall) {
  const clientId = textOrNull(call.form.get("clientId"))
  const settings = settingsOfForm(call.form)
  const body = Object.fromEntries(Object.entries({ ...(clientId === null ? {} : { clientId }), ...settings }).filter(([, v]) => v !== null))
  const result = yield* tryOperation(call, "createClient", { body })
  if (!result.ok) return newClientPage(call, valuesOfForm(call.form), result.problem)
  return secretPage(call, bodyOf<ClientWithSecret>(result.reply), "console.clients.created")
})

const editPage = (call: ConsoleCall, client: ClientRecord, values: ClientFormValues, problem: AdminProblem | null) => {
  const { locale } = call.frame
  const href = clientHref(client.clientId)
  const saved = call.url.searchParams.get("saved") === "1" ? notice(t(locale, "console.savedNotice")) : ""
  return consolePage(call.frame, client.clientName,
    `<h1>${escapeHtml(client.clientName)}</h1><p class="muted"><code>${escapeHtml(client.clientId)}</code> · ${tHtml(locale, "console.version", { version: client.version })} · ${tHtml(locale, "console.updated", { time: timeText(client.updatedAt) })}</p>` +
      saved + problemBanner(locale, problem, href) +
      `<form method="post" action="${escapeHtml(href)}" novalidate>${csrfInput(call.frame)}${versionInput(client.version)}${clientFields(locale, values, fieldErrorsOf(problem), false)}` +
      `<button type="submit">${tHtml(locale, "console.save")}</button></form>` +
      `<h2>${tHtml(locale, "console.clients.secretHeading")}</h2>` +
      (client.hasSecret
        ? `<p>${tHtml(locale, "console.clients.hasSecret")}${client.previousSecretExpiresAt === null ? "" : ` ${tHtml(locale, "console.clients.graceUntil", { time: timeText(client.previousSecretExpiresAt) })}`}</p>` +
          `<form class="quiet" method="post" action="${escapeHtml(href)}/rotate">${csrfInput(call.frame)}${versionInput(client.version)}` +
          `<button type="submit">${tHtml(locale, "console.clients.rotate")}</button></form>`
        : `<p>${tHtml(locale, "console.clients.noSecret")}</p>`) +
      `<h2>${tHtml(locale, "console.dangerZone")}</h2><p><a class="danger" href="${escapeHtml(href)}/delete">${tHtml(locale, "console.clients.delete")}</a></p>`,
    { status: problem === null ? 200 : problem.status })
}

const readClient = (call: ConsoleCall) => Effect.map(runOperation(call, "getClient", { params: { clientId: call.params["clientId"]! } }), (r) => bodyOf<ClientRecord>(r))

/** `GET /admin/clients/{clientId}`. */
export const editClientForm = Effect.fnUntraced(function*(call: ConsoleCall) {
  const client = yield* readClient(call)
  return editPage(call, client, valuesOfClient(client), null)
})

/** `POST /admin/clients/{clientId}`: on a refusal, the form again with the admin's input and the current version's header. */
export const updateClient = Effect.fnUntraced(function*(call: ConsoleCall) {
  const clientId = call.params["clientId"]!
  const result = yield* tryOperation(call, "updateClient", { params: { clientId }, body: settingsOfForm(call.form), ifMatch: versionOf(call.form) })
  if (result.ok) {
    const updated = bodyOf<ClientWithSecret>(result.reply)
    if (updated.clientSecret !== null) return secretPage(call, updated, "console.clients.saved")
    return seeOther(`${clientHref(clientId)}?saved=1`)
  }
  const current = yield* readClient(call)
  // A stale version keeps the admin's edits on screen but carries the current version, so a resubmit is a conscious overwrite.
  return editPage(call, current, valuesOfForm(call.form), result.problem)
})

/** `POST /admin/clients/{clientId}/rotate`. */
export const rotateClientSecret = Effect.fnUntraced(function*(call: ConsoleCall) {
  const clientId = call.params["clientId"]!
  const result = yield* tryOperation(call, "rotateClientSecret", { params: { clientId }, body: {}, ifMatch: versionOf(call.form) })
  if (result.ok) return secretPage(call, bodyOf<ClientWithSecret>(result.reply), "console.clients.rotated")
  const current = yield* readClient(call)
  return editPage(call, current, valuesOfClient(current), result.problem)
})

const deletePage = (call: ConsoleCall, client: ClientRecord, problem: AdminProblem | null) => {
  const { locale } = call.frame
  const href = clientHref(client.clientId)
  return consolePage(call.frame, t(locale, "console.clients.delete"),
    `<h1>${tHtml(locale, "console.clients.delete")}</h1>${problemBanner(locale, problem, `${href}/delete`)}` +
      `<p>${tHtml(locale, "console.clients.deleteConfirm", { clientId: client.clientId, name: client.clientName })}</p>` +
      `<form method="post" action="${escapeHtml(href)}/delete">${csrfInput(call.frame)}${versionInput(client.version)}` +
      `<button type="submit" class="danger">${tHtml(locale, "console.deleteForever")}</button> <a href="${escapeHtml(href)}">${tHtml(locale, "console.cancel")}</a></form>`,
    { status: problem === null ? 200 : problem.status })
}

/** `GET /admin/clients/{clientId}/delete`: the confirmation. */
export const confirmDeleteClient = Effect.fnUntraced(function*(call: ConsoleCall) {
  return deletePage(call, yield* readClient(call), null)
})

/** `POST /admin/clients/{clientId}/delete`. */
export const deleteClient = Effect.fnUntraced(function*(call: ConsoleCall) {
  const clientId = call.params["clientId"]!
  const result = yield* tryOperation(call, "deleteClient", { params: { clientId }, ifMatch: versionOf(call.form) })
  if (result.ok) return seeOther(`/admin/clients?deleted=${encodeURIComponent(clientId)}`)
  return deletePage(call, yield* readClient(call), result.problem)
})
