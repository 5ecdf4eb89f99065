/**
 * `GET /login/passkey?tx=…[&email=…]` starts a passkey authentication for a
 * pending login transaction and shows the page; `POST /login/passkey`
 * checks CSRF, has identity verify the assertion (challenge consumed first,
 * signature, origin, RP id, counter) and finishes through `completeSignIn`.
 * A refused assertion re-shows the page with a new challenge and keeps the
 * transaction; an expired transaction or a forged post is an error page.
 */
import { OAuthError, PasskeyAuthenticationResponse } from "@authrim/contracts"
import { Effect, Schema } from "effect"
import { Edge } from "../edge_layer.ts"
import { loadTransaction, type AuthorizationTransaction } from "../authorize/authorization_transaction.ts"
import { completeSignIn } from "../authorize/complete_sign_in.ts"
import { verifyCsrf } from "../authorize/csrf.ts"
import { passkeyMethod } from "../authorize/passkey_method.ts"
import type { RouteContext } from "../route_context.ts"
import { readFormBody } from "../http/form_body.ts"
import { paramsFrom } from "../http/request_params.ts"
import { orErrorPage, passkeyRejectedPage } from "../pages/error_page.ts"
import { passkeyLoginPage } from "../pages/passkey_login_page.ts"
import { signInAudience } from "./login.ts"
import { pageLocale } from "../i18n/negotiate_locale.ts"
import { t } from "../i18n/translate.ts"
import { passkeyRejectedText } from "../i18n/backend_reason_texts.ts"

/** A new authentication ceremony for `tx`, rendered. */
const renderCeremony = Effect.fnUntraced(function*(request: Request, tx: AuthorizationTransaction, email: string | null, error: string | null, status = 200) {
  const { backends } = yield* Edge
  const clientName = yield* signInAudience(tx)
  const ceremony = yield* backends.passkeys.startPasskeyAuthentication({ email })
  return passkeyLoginPage(pageLocale(request, tx.request), { tx: tx.id, csrf: tx.csrf, clientName, email, challengeId: ceremony.challengeId, options: ceremony.options, error }, status)
})

/** `GET /login/passkey`. */
export const showPasskeyLogin = Effect.fnUntraced(function*(request: Request, ctx: RouteContext) {
  const params = yield* paramsFrom(new URL(request.url).searchParams)
  const tx = yield* loadTransaction("login", params.get("tx"))
  return yield* renderCeremony(request, tx, params.get("email") ?? tx.request?.loginHint ?? null, null)
}, (effect, request: Request) => effect.pipe(Effect.catchTag("PasskeyRejected", (rejected) => Effect.succeed(passkeyRejectedPage(pageLocale(request), rejected)))),
    orErrorPage)

const invalid = (description: string) => new OAuthError({ code: "invalid_request", description })

/** The posted `credential` field as an assertion, or null when it is not one. */
const decodeAssertion = (raw: string | undefined) => {
  if (raw === undefined) return Effect.succeed(null)
  return Effect.try({ try: (): unknown => JSON.parse(raw), catch: () => null }).pipe(
    Effect.flatMap(Schema.decodeUnknownEffect(PasskeyAuthenticationResponse)),
    Effect.orElseSucceed(() => null)
  )
}

/** `POST /login/passkey`. */
export const submitPasskeyLogin = Effect.fnUntraced(function*(request: Request, ctx: RouteContext) {
  const { backends } = yield* Edge
  const form = yield* readFormBody(request)
  const tx = yield* loadTransaction("login", form.get("tx"))
  yield* verifyCsrf(request, form, tx.csrf)
  const again = (error: string, status: number) => renderCeremony(request, tx, null, error, status)
  const challengeId = form.get("challengeId")
  const response = yield* decodeAssertion(form.get("credential"))
  if (challengeId === undefined || response === null) return yield* again(t(pageLocale(request, tx.request), "common.passkeyIncomplete"), 400)
  const signIn = yield* backends.passkeys.finishPasskeyAuthentication({ challengeId, response }).pipe(
    Effect.map((value) => ({ ok: true as const, value })),
    Effect.catchTag("PasskeyRejected", (rejected) => Effect.succeed({ ok: false as const, rejected }))
  )
  if (!signIn.ok) return yield* again(passkeyRejectedText(pageLocale(request, tx.request), signIn.rejected), signIn.rejected.reason === "challenge" ? 400 : 401)
  return yield* completeSignIn(ctx, request, tx.id, signIn.value.userId, passkeyMethod(signIn.value))
}, (effect, request: Request) => effect.pipe(Effect.catchTag("PasskeyRejected", (rejected) => Effect.succeed(passkeyRejectedPage(pageLocale(request), rejected)))),
    orErrorPage)
