/**
 * The profile page (`GET /account/profile`, a page of its own linked from
 * `/account`): a form of the user's OIDC standard claims, posted to
 * `POST /account/profile` (routes/account_profile.ts). Field names are the
 * claim names (address members as `address.locality` …). A refused value is
 * shown next to its field (`aria-invalid` + `aria-describedby` pointing at
 * the error line right under it); everything else keeps what was typed.
 * `phone_number_verified` is not editable here. Below the address: the
 * admin-defined custom fields the user may edit (account_custom_fields_section.ts).
 */
import type { Locale } from "../i18n/locale.ts"
import type { MessageKey } from "../i18n/messages_en.ts"
import { t, tHtml } from "../i18n/translate.ts"
import { htmlResponse } from "../http/html_response.ts"
import { escapeHtml, hiddenInput, layout } from "./html.ts"
import { customFieldFormName, customFieldsSection, type CustomFieldsSectionModel } from "./account_custom_fields_section.ts"

/** A claim of the form and how its input is typed. */
interface ProfileField {
  readonly name: string
  readonly label: MessageKey
  readonly type?: string
  readonly autocomplete?: string
  readonly hint?: MessageKey
}

/** The name, contact and about fields, in the order shown. */
export const PROFILE_FIELDS: ReadonlyArray<ProfileField> = [
  { name: "given_name", label: "profile.givenName", autocomplete: "given-name" },
  { name: "middle_name", label: "profile.middleName", autocomplete: "additional-name" },
  { name: "family_name", label: "profile.familyName", autocomplete: "family-name" },
  { name: "nickname", label: "profile.nickname", autocomplete: "nickname" },
  { name: "preferred_username", label: "profile.preferredUsername", autocomplete: "username" },
  { name: "profile", label: "profile.profileUrl", type: "url", autocomplete: "url", hint: "profile.hint.url" },
  { name: "website", label: "profile.website", type: "url", autocomplete: "url", hint: "profile.hint.url" },
  { name: "gender", label: "profile.gender", autocomplete: "sex" },
  { name: "birthdate", label: "profile.birthdate", autocomplete: "bday", hint: "profile.hint.birthdate" },
  { name: "zoneinfo", label: "profile.zoneinfo", hint: "profile.hint.zoneinfo" },
  { name: "locale", label: "profile.locale", hint: "profile.hint.locale" },
  { name: "phone_number", label: "profile.phoneNumber", type: "tel", autocomplete: "tel", hint: "profile.hint.phone" }
]

/** The address members (OIDC Core §5.1.1). */
export const ADDRESS_FIELDS: ReadonlyArray<ProfileField> = [
  { name: "address.formatted", label: "profile.address.formatted" },
  { name: "address.street_address", label: "profile.address.street", autocomplete: "street-address" },
  { name: "address.locality", label: "profile.address.locality", autocomplete: "address-level2" },
  { name: "address.region", label: "profile.address.region", autocomplete: "address-level1" },
  { name: "address.postal_code", label: "profile.address.postalCode", autocomplete: "postal-code" },
  { name: "address.country", label: "profile.address.country", autocomplete: "country" }
]

/** What the profile page shows. */
export interface AccountProfilePageModel {
  readonly csrf: string
  /** Each field's value by form name (`given_name`, `address.locality` …). */
  readonly values: Readonly<Record<string, string>>
  /** The refused field and why (already in the page's language), or null. */
  readonly error: { readonly field: string; readonly message: string } | null
  readonly saved: boolean
  /** The custom fields the user may edit (absent or empty: no section). */
  readonly customFields?: CustomFieldsSectionModel
}

const idOf = (name: string) => name.replace(".", "-")

const fieldRow = (locale: Locale, model: AccountProfilePageModel, field: ProfileField): string => {
  const id = idOf(field.name)
  const wrong = model.error !== null && model.error.field === field.name
  const hintId = `${id}-hint`
  const errorId = `${id}-error`
  const describedBy = [field.hint === undefined ? null : hintId, wrong ? errorId : null].filter((x) => x !== null).join(" ")
  return `<label for="${id}">${tHtml(locale, field.label)}</label>` +
    `<input id="${id}" type="${field.type ?? "text"}" name="${escapeHtml(field.name)}" value="${escapeHtml(model.values[field.name] ?? "")}"` +
    (field.autocomplete === undefined ? "" : ` autocomplete="${field.autocomplete}"`) +
    (wrong ? ` aria-invalid="true"` : "") + (describedBy === "" ? "" : ` aria-describedby="${describedBy}"`) + `>` +
    (field.hint === undefined ? "" : `<small id="${hintId}">${tHtml(locale, field.hint)}</small>`) +
    (wrong ? `<p class="error" id="${errorId}" role="alert">${escapeHtml(model.error?.message ?? "")}</p>` : "")
}

/** Renders the profile page (`status` 400 when showing a refused value). */
export const accountProfilePage = (locale: Locale, model: AccountProfilePageModel, status = 200): Response =>
  htmlResponse(
    layout(
      locale,
      t(locale, "profile.title"),
      `<h1>${tHtml(locale, "profile.title")}</h1>` +
        (model.saved ? `<p class="notice" role="status">${tHtml(locale, "profile.saved")}</p>` : "") +
        `<p>${tHtml(locale, "profile.intro")}</p>` +
        (model.error !== null && ![...PROFILE_FIELDS, ...ADDRESS_FIELDS].some((field) => field.name === model.error?.field) &&
          !(model.customFields?.definitions ?? []).some((definition) => customFieldFormName(definition.name) === model.error?.field)
          ? `<p class="error" id="form-error" role="alert">${escapeHtml(model.error.message)}</p>` : "") +
        `<form method="post" action="/account/profile">` + hiddenInput("csrf", model.csrf) +
        PROFILE_FIELDS.map((field) => fieldRow(locale, model, field)).join("") +
        `<fieldset><legend>${tHtml(locale, "profile.address")}</legend>` +
        ADDRESS_FIELDS.map((field) => fieldRow(locale, model, field)).join("") +
        `</fieldset>` +
        (model.customFields === undefined ? "" : customFieldsSection(locale, model.customFields, model.error)) +
        `<button type="submit">${tHtml(locale, "profile.save")}</button></form>` +
        `<p class="links"><a href="/account">${tHtml(locale, "common.yourAccount")}</a></p>`
    ),
    { status }
  )
