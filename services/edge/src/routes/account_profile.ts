/**
 * `GET|POST /account/profile` (issue 12 §4): a signed-in user sees and edits
 * their own OIDC standard claims (the form: pages/account_profile_page.ts). The form's field names are the claim names (`given_name`,
 * `locale`, …; the address as `address.locality` etc.); a field left empty
 * clears the claim, a field not in the form keeps it. CSRF is the double
 * submit of `__Host-authrim_csrf`. Identity checks the formats and audits the
 * edit as the user's own (`profile.updated`, actor = the user). Success goes
 * back to `/account` (303, a notice there); a bad value is the form again
 * (400) with the message next to the field, in the page's language: identity
 * answers `<field> <reason>` in English and the edge maps the reason to a
 * catalogue key (profile_error_text.ts) — the backend stays language-free.
 * Custom fields (`custom.<field>`, account/account_custom_fields.ts) are
 * written first, through their own call (all of them or none), then the
 * standard claims; a refused custom value re-shows the form with nothing of
 * the standard claims written. A refused standard claim after accepted custom
 * values leaves those values saved — re-submitting the form is idempotent.
 */
import type { AddressClaim, EdgeFailure, UserProfile, UserProfilePatch } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import { accountSession } from "../authorize/account_session.ts"
import type { RouteContext } from "../route_context.ts"
import { readFormFields } from "../http/form_body.ts"
import { paramsFrom } from "../http/request_params.ts"
import type { Params } from "../http/request_params.ts"
import { errorPage, orErrorPage } from "../pages/error_page.ts"
import { ADDRESS_FIELDS, accountProfilePage, PROFILE_FIELDS } from "../pages/account_profile_page.ts"
import { browserCsrfToken, csrfCookie } from "../authorize/csrf.ts"
import { withCookies } from "../http/cookies.ts"
import { pageLocale } from "../i18n/negotiate_locale.ts"
import { profileErrorOf } from "../account/profile_error_text.ts"
import { verifyCookieCsrf } from "./password_recovery.ts"
import { t } from "../i18n/translate.ts"
import type { Params as FormParams } from "../http/request_params.ts"
import type { Locale } from "../i18n/locale.ts"
import { customValuesFromForm, editableCustomFields, withoutAdminRefusals } from "../account/account_custom_fields.ts"
import { customFieldErrorOf } from "../account/custom_field_error_text.ts"
import { customFieldFormName } from "../pages/account_custom_fields_section.ts"

const PAGE = "/account"
const FORM_PAGE = "/account/profile"

/** Claims a user may edit here (not `phone_number_verified`: only an admin or a verification flow vouches for it). */
const textClaims = [
  "name", "given_name", "family_name", "middle_name", "nickname", "preferred_username", "profile", "website",
  "gender", "birthdate", "zoneinfo", "locale", "phone_number"
] as const
const addressMembers = ["formatted", "street_address", "locality", "region", "postal_code", "country"] as const

/** The patch a submitted form asks for: present fields only, empty → null (cleared). */
export const profilePatchFromForm = (form: Params): UserProfilePatch => {
  const patch: Record<string, unknown> = {}
  for (const claim of textClaims) {
    const value = form.get(claim)
    if (value !== undefined) patch[claim] = value.trim() === "" ? null : value
  }
  const address = Object.fromEntries(addressMembers.flatMap((member) => {
    const value = form.get(`address.${member}`)
    return value === undefined || value.trim() === "" ? [] : [[member, value] as const]
  }))
  if (addressMembers.some((member) => form.has(`address.${member}`))) patch.address = Object.keys(address).length === 0 ? null : address
  return patch
}

/** The stored profile as the form's values (by form field name). */
const formValuesOf = (profile: UserProfile): Record<string, string> => {
  const values: Record<string, string> = {}
  for (const field of PROFILE_FIELDS) {
    const value = profile[field.name as keyof UserProfile]
    if (typeof value === "string") values[field.name] = value
  }
  for (const field of ADDRESS_FIELDS) {
    const value = profile.address?.[field.name.slice("address.".length) as keyof AddressClaim]
    if (typeof value === "string") values[field.name] = value
  }
  return values
}

/** The form again (400) with what was typed and `error` next to its field (or above the form). */
const reshownForm = Effect.fnUntraced(function*(form: FormParams, userId: string, locale: Locale, error: { readonly field: string; readonly message: string }) {
  const values = Object.fromEntries([...PROFILE_FIELDS, ...ADDRESS_FIELDS].map((field) => [field.name, form.get(field.name) ?? ""]))
  const customFields = yield* editableCustomFields(userId, form)
  return accountProfilePage(locale, { csrf: form.get("csrf") ?? "", values, error, saved: false, customFields }, 400)
})

/** A refused custom value: its text in the page's language, next to the field when the form shows it. */
const refusedForm = (request: Request, form: FormParams, userId: string, field: string, reason: string) => {
  const locale = pageLocale(request, { accountLocale: form.get("locale") ?? null })
  const problem = customFieldErrorOf(field, reason)
  const error = problem === null
    ? { field: "form", message: t(locale, "profile.error.invalid") }
    : { field: customFieldFormName(problem.name), message: t(locale, problem.key, problem.params) }
  return reshownForm(form, userId, locale, error)
}

/** `GET /account/profile`. */
export const showAccountProfile = Effect.fnUntraced(function*(request: Request, _ctx: RouteContext) {
  const { backends } = yield* Edge
  const access = yield* accountSession(request, FORM_PAGE)
  if (!access.signedIn) return access.redirect
  const profile = yield* backends.userProfile.getUserProfile({ userId: access.session.userId })
  const customFields = yield* editableCustomFields(access.session.userId, null)
  const csrf = browserCsrfToken(request)
  const locale = pageLocale(request, { accountLocale: profile.locale })
  return withCookies(accountProfilePage(locale, { csrf, values: formValuesOf(profile), error: null, saved: false, customFields }), [csrfCookie(csrf)])
}, orErrorPage)

/** `POST /account/profile`. */
export const submitAccountProfile = Effect.fnUntraced(function*(request: Request, _ctx: RouteContext) {
  const { backends } = yield* Edge
  // The raw fields too: the parameter reader drops empty values (OAuth: empty = absent), but here an emptied field is a clear.
  const raw = yield* readFormFields(request)
  const form = yield* paramsFrom(raw)
  const access = yield* accountSession(request, PAGE)
  if (!access.signedIn) return access.redirect
  yield* verifyCookieCsrf(request, form)
  const userId = access.session.userId
  const customValues = customValuesFromForm(raw)
  if (Object.keys(customValues).length > 0) {
    const refusedCustom = yield* backends.customFields.updateUserCustomFields({ userId, values: customValues, editor: { kind: "self" } }).pipe(
      Effect.as(null),
      Effect.catchTag("UserAdminInvalidInput", (failure) => refusedForm(request, form, userId, failure.field, failure.reason)),
      Effect.mapError(withoutAdminRefusals)
    )
    if (refusedCustom !== null) return refusedCustom
  }
  const refused = yield* backends.userProfile.updateUserProfile({ userId, patch: profilePatchFromForm(new Map(raw)), editor: { kind: "user", id: userId } }).pipe(
    Effect.as(null),
    Effect.catchTag("OAuthError", (failure): Effect.Effect<Response, EdgeFailure, Edge> => {
      const problem = profileErrorOf(failure.description)
      if (failure.code !== "invalid_request" || problem === null) return Effect.fail(failure)
      // The same language as the GET: the account's `locale` claim (as the form carries it), then the browser's.
      const locale = pageLocale(request, { accountLocale: form.get("locale") ?? null })
      return reshownForm(form, userId, locale, { field: problem.field, message: t(locale, problem.key, problem.params) })
    })
  )
  if (refused !== null) return refused
  return new Response(null, { status: 303, headers: { location: `${PAGE}?profile=saved`, "cache-control": "no-store" } })
}, (effect, request) => effect.pipe(Effect.catch((failure) => Effect.succeed(errorPage(failure, pageLocale(request))))))
