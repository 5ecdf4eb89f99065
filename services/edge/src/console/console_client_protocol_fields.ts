/**
 * The client form's protocol section (issue 14): settings most clients leave
 * empty — request objects by reference (`request_uris`, JAR §5.2) and the
 * RFC 8693 token exchange policy (the audiences the client may exchange a
 * user's token for; delegation is the only mode, impersonation is off). The
 * fields are named as the admin API's, so a refusal's field errors show next
 * to them; an empty audiences list turns token exchange off (policy null).
 */
import type { ClientRecord } from "@authrim/contracts"
import type { Locale } from "../i18n/locale.ts"
import { t, tHtml } from "../i18n/translate.ts"
import { linesOf, textAreaField, type FieldErrors } from "./console_forms.ts"

/** What the protocol fields show (one entry per line). */
export interface ProtocolFieldValues {
  readonly requestUris: string
  readonly tokenExchangePolicy: string
}

/** Empty: a new client has none of these. */
export const NEW_PROTOCOL_VALUES: ProtocolFieldValues = { requestUris: "", tokenExchangePolicy: "" }

/** The stored client's protocol settings. */
export const protocolValuesOfClient = (client: ClientRecord): ProtocolFieldValues => ({
  requestUris: (client.requestUris ?? []).join("\n"),
  tokenExchangePolicy: (client.tokenExchangePolicy?.audiences ?? []).join("\n")
})

/** A posted form's protocol fields, as typed (for re-rendering a refused form). */
export const protocolValuesOfForm = (form: URLSearchParams): ProtocolFieldValues => ({
  requestUris: form.get("requestUris") ?? "",
  tokenExchangePolicy: form.get("tokenExchangePolicy") ?? ""
})

/** The admin API members of the posted protocol fields. */
export const protocolSettingsOfForm = (form: URLSearchParams) => {
  const audiences = linesOf(form.get("tokenExchangePolicy"))
  return {
    requestUris: linesOf(form.get("requestUris")),
    tokenExchangePolicy: audiences.length === 0 ? null : { audiences, delegation: true }
  }
}

/** The fieldset. */
export const protocolFields = (locale: Locale, values: ProtocolFieldValues, errors: FieldErrors): string =>
  `<fieldset><legend>${tHtml(locale, "console.clients.protocol")}</legend>` +
  textAreaField({ name: "requestUris", label: t(locale, "console.clients.requestUris"), value: values.requestUris, errors, hint: t(locale, "console.clients.requestUrisHint") }) +
  textAreaField({ name: "tokenExchangePolicy", label: t(locale, "console.clients.tokenExchangeAudiences"), value: values.tokenExchangePolicy, errors, hint: t(locale, "console.clients.tokenExchangeHint") }) +
  `</fieldset>`
