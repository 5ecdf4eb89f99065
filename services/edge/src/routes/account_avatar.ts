/**
 * `POST /account/avatar`: a signed-in user uploads (`action=upload`, file
 * field `avatar`) or removes (`action=remove`) their avatar from the account
 * page — a `multipart/form-data` form with the page's CSRF token (double
 * submit of `__Host-authrim_csrf`). The body is read with a cap (the image
 * limit plus room for the form's other fields): anything larger is a 413
 * before it is buffered; the image's kind is decided by the identity service
 * from its bytes (a wrong declared type changes nothing). Success goes back
 * to `/account` (303); a refused image is an error page with 413 / 415 / 400.
 */
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import { accountSession } from "../authorize/account_session.ts"
import { readCappedBody } from "../http/capped_body.ts"
import { htmlResponse } from "../http/html_response.ts"
import { seeOther } from "../http/redirect.ts"
import { pageLocale } from "../i18n/negotiate_locale.ts"
import type { Locale } from "../i18n/locale.ts"
import type { MessageKey } from "../i18n/messages_en.ts"
import { t, tHtml } from "../i18n/translate.ts"
import { orErrorPage } from "../pages/error_page.ts"
import { layout } from "../pages/html.ts"
import type { RouteContext } from "../route_context.ts"
import { verifyCookieCsrf } from "./password_recovery.ts"

const PAGE = "/account"

/** Largest image (as the identity service enforces it) and the room left for the form's other parts. */
export const MAX_AVATAR_UPLOAD_BYTES = 5 * 1024 * 1024
const FORM_OVERHEAD_BYTES = 16 * 1024

const REFUSALS = {
  too_large: [413, "avatar.error.tooLarge"],
  unsupported_type: [415, "avatar.error.unsupported"],
  empty: [400, "avatar.error.empty"],
  malformed: [400, "avatar.error.malformed"]
} as const satisfies Record<string, readonly [number, MessageKey]>

/** The page saying why the picture did not change, in the page's language. */
const refusalPage = (locale: Locale, reason: keyof typeof REFUSALS): Response =>
  htmlResponse(
    layout(
      locale,
      t(locale, "avatar.notChangedTitle"),
      `<h1>${tHtml(locale, "avatar.notChanged")}</h1><p class="error" role="alert">${tHtml(locale, REFUSALS[reason][1])}</p>` +
        `<p><a href="${PAGE}">${tHtml(locale, "avatar.back")}</a></p>`
    ),
    { status: REFUSALS[reason][0] }
  )

/** The multipart form, parsed from bytes already read under the cap. */
const parseForm = (request: Request, body: Uint8Array) =>
  Effect.tryPromise({
    try: () => new Request(request.url, { method: "POST", headers: { "content-type": request.headers.get("content-type") ?? "" }, body }).formData(),
    catch: () => "malformed" as const
  })

/** `POST /account/avatar`. */
export const submitAccountAvatar = Effect.fnUntraced(function*(request: Request, ctx: RouteContext) {
  const { backends } = yield* Edge
  const access = yield* accountSession(request, PAGE)
  if (!access.signedIn) return access.redirect
  const locale = pageLocale(request)
  const refuse = (reason: keyof typeof REFUSALS) => refusalPage(locale, reason)
  if (!(request.headers.get("content-type") ?? "").toLowerCase().startsWith("multipart/form-data")) return refuse("malformed")
  const body = yield* readCappedBody(request, MAX_AVATAR_UPLOAD_BYTES + FORM_OVERHEAD_BYTES).pipe(
    Effect.map((bytes) => ({ bytes })),
    Effect.catchTag("BodyTooLarge", () => Effect.succeed(null)),
    Effect.catchTag("BodyUnreadable", () => Effect.succeed(undefined))
  )
  if (body === null) return refuse("too_large")
  if (body === undefined) return refuse("malformed")
  const form = yield* parseForm(request, body.bytes).pipe(Effect.catch(() => Effect.succeed(null)))
  if (form === null) return refuse("malformed")
  const fields = new Map<string, string>()
  for (const name of ["csrf", "action"]) {
    const value = form.get(name)
    if (typeof value === "string") fields.set(name, value)
  }
  yield* verifyCookieCsrf(request, fields)
  const userId = access.session.userId
  const actor = { kind: "user" as const, id: userId }
  if (fields.get("action") === "remove") {
    yield* backends.avatars.removeAvatar({ userId, issuer: ctx.issuer, actor })
    return seeOther(PAGE)
  }
  const file = form.get("avatar")
  if (file === null || typeof file === "string") return refuse("empty")
  const image = yield* Effect.tryPromise(() => file.arrayBuffer()).pipe(Effect.map((bytes) => new Uint8Array(bytes)), Effect.catch(() => Effect.succeed(null)))
  if (image === null) return refuse("malformed")
  const refused = yield* backends.avatars.setAvatar({ userId, image, issuer: ctx.issuer, actor }).pipe(
    Effect.as(null),
    Effect.catchTag("AvatarRejected", (rejected) => Effect.succeed(refuse(rejected.reason)))
  )
  return refused ?? seeOther(PAGE)
}, orErrorPage)
