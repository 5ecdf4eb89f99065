/**
 * Setting `mfaRequiredForAdmins` (issue 12 §2; on by default in production,
 * off in development): a request for the admin API's scope `admin` (or a
 * permission-named scope) by a user who holds an admin permission is answered
 * only for a session that used a second factor — amr `otp`/`mfa`/`hwk`/`swk`,
 * as `needsSecondFactor` counts them (a passkey is strong on its own).
 *
 * | the session | the account has | outcome |
 * |---|---|---|
 * | has a second factor | — | as any request |
 * | password (or link, upstream) only, at `/authorize` | TOTP or a passkey | `reauthenticate`: the login page again; a password is followed by the TOTP step, a passkey is strong |
 * | first factor only, right after signing in | TOTP or a passkey | `refused` (they chose the weak way; the page says to use the passkey / code) |
 * | first factor only | neither | `enrol`: refused, the page says to set up an authenticator app on the account page first |
 *
 * A user without an admin permission, or a request without those scopes,
 * costs nothing: no call is made (the settings copy is in isolate memory).
 */
import { ADMIN_SCOPE, holdsAdminPermission, OAuthError, Permission, type EdgeFailure, type Session } from "@authrim/contracts"
import { Effect, Schema } from "effect"
import { Edge } from "../edge_layer.ts"
import type { Locale } from "../i18n/locale.ts"
import { adminSecondFactorPage, type AdminSecondFactorAdvice } from "../pages/admin_second_factor_page.ts"
import type { RouteContext } from "../route_context.ts"
import { respondToClient } from "./authorization_response.ts"
import { needsSecondFactor } from "./authentication_context.ts"
import type { PendingAuthorization } from "./pending_authorization.ts"
import { pageSettings } from "./sign_in_settings.ts"

const isPermission = Schema.is(Permission)

/** What the setting asks of this request and session. */
export type AdminSecondFactor = "none" | "reauthenticate" | "enrol"

/**
 * The requirement for `session` being granted `scopes` (see the table above): an authorization request's
 * scopes at `/authorize`, a device code's at `/device` (approving it needs the same second factor).
 */
export const adminSecondFactor = Effect.fnUntraced(function*(
  scopes: ReadonlyArray<string>,
  session: Session
): Effect.fn.Return<AdminSecondFactor, EdgeFailure, Edge> {
  if (!scopes.some((s) => s === ADMIN_SCOPE || isPermission(s))) return "none"
  if (!needsSecondFactor({ amr: session.amr, acr: session.acr })) return "none"
  if (!(yield* pageSettings()).mfaRequiredForAdmins) return "none"
  const { backends } = yield* Edge
  const held = yield* backends.rbac.getUserPermissions({ userId: session.userId }).pipe(
    Effect.catchTag(["VersionMismatch", "AlreadyExists"], () => Effect.succeed({ permissions: [] as ReadonlyArray<string>, roles: [] }))
  )
  if (!holdsAdminPermission(held.permissions)) return "none"
  const methods = yield* backends.accountSecurity.getSignInMethods({ userId: session.userId })
  return methods.totp || methods.passkeys > 0 ? "reauthenticate" : "enrol"
})

/** The RP's wire description of the refusal (ASCII, RFC 6749 §4.1.2.1); the person reads the page. */
const REFUSAL_DESCRIPTION = "administrator access requires two-step verification: the account must sign in with a second factor (set up an authenticator app first)"

/**
 * Refuses the request: `prompt=none` → `interaction_required` to the RP; else
 * the 403 page in `locale` (pages/admin_second_factor_page.ts) whose link back
 * carries `access_denied` to the RP.
 */
export const refuseAdminWithoutSecondFactor = Effect.fnUntraced(function*(
  ctx: RouteContext,
  request: PendingAuthorization,
  locale: Locale,
  advice: AdminSecondFactorAdvice,
  interactive: boolean
): Effect.fn.Return<Response, OAuthError, Edge> {
  if (!interactive) return yield* new OAuthError({ code: "interaction_required", description: REFUSAL_DESCRIPTION })
  // The link back is a plain GET: none for a form_post mode; a query.jwt one carries the signed `response`.
  const back = request.target.responseMode === "form_post" || request.target.responseMode === "form_post.jwt"
    ? null
    : (yield* respondToClient(request.target, ctx.issuer, [["error", "access_denied"], ["error_description", REFUSAL_DESCRIPTION]])).headers.get("location")
  return adminSecondFactorPage(locale, advice, back)
})
