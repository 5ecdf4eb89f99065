/**
 * `GET /account/passkeys` lists the signed-in user's passkeys and embeds a
 * fresh registration ceremony; `POST /account/passkeys` (`action` = `add`,
 * `rename` or `remove`) changes them; add and remove only after a recent
 * authentication (step-up, `account/step_up.ts`), each notified. CSRF: double submit — the form's
 * `csrf` must equal this browser's `__Host-authrim_csrf` cookie. Without a session
 * the browser is sent to sign in and comes back here.
 */
import { OAuthError, PasskeyRegistrationResponse, type Session } from "@authrim/contracts"
import { Effect, Schema } from "effect"
import { Edge } from "../edge_layer.ts"
import { reportSecurityChange } from "../account/security_notice.ts"
import { requireRecentAuthentication } from "../account/step_up.ts"
import { accountSession } from "../authorize/account_session.ts"
import { browserCsrfToken, csrfCookie, verifyCsrf } from "../authorize/csrf.ts"
import type { RouteContext } from "../route_context.ts"
import { CSRF_COOKIE, readCookie, withCookies } from "../http/cookies.ts"
import { readFormBody } from "../http/form_body.ts"
import { seeOther } from "../http/redirect.ts"
import { accountPasskeysPage } from "../pages/account_passkeys_page.ts"
import { orErrorPage, passkeyRejectedPage } from "../pages/error_page.ts"
import type { Locale } from "../i18n/locale.ts"
import { pageLocale } from "../i18n/negotiate_locale.ts"
import { t } from "../i18n/translate.ts"
import { passkeyRejectedText } from "../i18n/backend_reason_texts.ts"

/** The page's own path: where a sign-in for it returns, and where every change redirects. */
export const ACCOUNT_PASSKEYS_PATH = "/account/passkeys"

const render = Effect.fnUntraced(function*(locale: Locale, ctx: RouteContext, session: Session, csrf: string, error: string | null, status = 200) {
  const { backends } = yield* Edge
  const { passkeys } = yield* backends.passkeys.listPasskeys({ userId: session.userId })
  const ceremony = yield* backends.passkeys.startPasskeyRegistration({ userId: session.userId })
  return withCookies(
    accountPasskeysPage(locale, { csrf, passkeys, challengeId: ceremony.challengeId, options: ceremony.options, error }, status),
    [csrfCookie(csrf)]
  )
})

/** `GET /account/passkeys`. */
export const showAccountPasskeys = Effect.fnUntraced(function*(request: Request, ctx: RouteContext) {
  const access = yield* accountSession(request, ACCOUNT_PASSKEYS_PATH)
  if (!access.signedIn) return access.redirect
  return yield* render(pageLocale(request), ctx, access.session, browserCsrfToken(request), null)
}, (effect, request: Request) => effect.pipe(Effect.catchTag("PasskeyRejected", (r) => Effect.succeed(passkeyRejectedPage(pageLocale(request), r)))),
    orErrorPage)

/** The posted `credential` field as an attestation, or null. */
const decodeAttestation = (raw: string | undefined) =>
  raw === undefined
    ? Effect.succeed(null)
    : Effect.try({ try: (): unknown => JSON.parse(raw), catch: () => null }).pipe(
      Effect.flatMap(Schema.decodeUnknownEffect(PasskeyRegistrationResponse)),
      Effect.orElseSucceed(() => null)
    )

/** `POST /account/passkeys`. */
export const submitAccountPasskeys = Effect.fnUntraced(function*(request: Request, ctx: RouteContext) {
  const { backends } = yield* Edge
  const form = yield* readFormBody(request)
  const cookie = readCookie(request, CSRF_COOKIE)
  yield* verifyCsrf(request, form, cookie ?? "")
  const access = yield* accountSession(request, ACCOUNT_PASSKEYS_PATH)
  if (!access.signedIn) return access.redirect
  const userId = access.session.userId
  const action = form.get("action")
  // Adding or removing a passkey is a security change: step-up first (account/step_up.ts). Renaming is not.
  if (action === "add" || action === "remove") {
    const stepUp = yield* requireRecentAuthentication(request, access.session, ACCOUNT_PASSKEYS_PATH)
    if (stepUp !== null) return stepUp
  }
  const by = { userId, sessionId: access.session.id }
  const credentialId = form.get("credentialId") ?? ""
  const locale = pageLocale(request)
  const again = (error: string) => render(locale, ctx, access.session, cookie ?? browserCsrfToken(request), error, 400)
  const done = Effect.succeed(seeOther(ACCOUNT_PASSKEYS_PATH))
  const outcome = Effect.gen(function*() {
    switch (action) {
      case "add": {
        const challengeId = form.get("challengeId")
        const response = yield* decodeAttestation(form.get("credential"))
        if (challengeId === undefined || response === null) return yield* again(t(locale, "common.passkeyIncomplete"))
        yield* backends.passkeys.finishPasskeyRegistration({ userId, challengeId, response, name: form.get("name") ?? null })
        yield* reportSecurityChange(request, by, "passkey_added")
        return yield* done
      }
      case "rename":
        yield* backends.passkeys.renamePasskey({ userId, credentialId, name: form.get("name") ?? "" })
        return yield* done
      case "remove":
        yield* backends.passkeys.removePasskey({ userId, credentialId })
        yield* reportSecurityChange(request, by, "passkey_removed")
        return yield* done
      default:
        return yield* again(t(locale, "common.unknownAction"))
    }
  })
  return yield* outcome.pipe(
    Effect.catchTags({
      PasskeyRejected: (r) => again(passkeyRejectedText(locale, r)),
      NotFound: () => again(t(locale, "passkeys.error.notFound")),
      OAuthError: (e) => again(e.description)
    })
  )
}, (effect, request: Request) => effect.pipe(Effect.catchTag("PasskeyRejected", (r) => Effect.succeed(passkeyRejectedPage(pageLocale(request), r)))),
    orErrorPage)
