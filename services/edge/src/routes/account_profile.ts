/**
 * `POST /account/profile` (issue 12 §4): a signed-in user edits their own OIDC
 * standard claims. The form's field names are the claim names (`given_name`,
 * `locale`, …; the address as `address.locality` etc.); a field left empty
 * clears the claim, a field not in the form keeps it. CSRF is the double
 * submit of `__Host-authrim_csrf`. Identity checks the formats and audits the
 * edit as the user's own (`profile.updated`, actor = the user). Success goes
 * back to `/account` (303); a bad value is a 400 page naming the field. The
 * form itself belongs to the account page (services/edge/src/pages).
 */
import type { UserProfilePatch } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import { accountSession } from "../authorize/account_session.ts"
import type { RouteContext } from "../route_context.ts"
import { readFormBody } from "../http/form_body.ts"
import type { Params } from "../http/request_params.ts"
import { errorPage } from "../pages/error_page.ts"
import { verifyCookieCsrf } from "./password_recovery.ts"

const PAGE = "/account"

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

/** `POST /account/profile`. */
export const submitAccountProfile = Effect.fnUntraced(function*(request: Request, _ctx: RouteContext) {
  const { backends } = yield* Edge
  const form = yield* readFormBody(request)
  const access = yield* accountSession(request, PAGE)
  if (!access.signedIn) return access.redirect
  yield* verifyCookieCsrf(request, form)
  const userId = access.session.userId
  yield* backends.userProfile.updateUserProfile({ userId, patch: profilePatchFromForm(form), editor: { kind: "user", id: userId } })
  return new Response(null, { status: 303, headers: { location: `${PAGE}?profile=saved`, "cache-control": "no-store" } })
}, Effect.catch((failure) => Effect.succeed(errorPage(failure))))
