/**
 * "Sign in with …" an upstream identity provider:
 * - `GET /login/upstream?provider=<id>&tx=<login tx>` checks that this browser
 *   owns the login transaction (its CSRF cookie is the transaction's), asks
 *   identity for the upstream authorization URL and redirects there;
 * - `GET /login/upstream/callback` hands the upstream's answer to identity
 *   (state single use and bound to this browser's CSRF cookie; code exchange;
 *   ID-token validation; account linking) and finishes with `completeSignIn`.
 * Every failure before the transaction is consumed is a clear page (never a
 * 500); a denied or broken upstream sign-in leaves the login transaction
 * usable, so the user can pick another method.
 */
import { OAuthError } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import { loadTransaction } from "../authorize/authorization_transaction.ts"
import { completeSignIn } from "../authorize/complete_sign_in.ts"
import type { SignInMethod } from "../authorize/open_session.ts"
import type { RouteContext } from "../route_context.ts"
import { CSRF_COOKIE, readCookie } from "../http/cookies.ts"
import { seeOther } from "../http/redirect.ts"
import { paramsFrom } from "../http/request_params.ts"
import { orErrorPage } from "../pages/error_page.ts"

/**
 * Federated sign-in. `fed` is not in the RFC 8176 registry; it is the value
 * Microsoft Entra ID and others use for "a federated identity provider
 * authenticated the user". Authrim does not pass the upstream's own amr/acr
 * through (it cannot vouch for them), so `acr` stays null.
 */
export const federatedMethod: SignInMethod = { amr: ["fed"], acr: null }

/** Path of the callback registered at every upstream provider: `<issuer>/login/upstream/callback`. */
export const UPSTREAM_CALLBACK_PATH = "/login/upstream/callback"

const sameSecret = (a: string, b: string): boolean => {
  const x = new TextEncoder().encode(a)
  const y = new TextEncoder().encode(b)
  return x.byteLength === y.byteLength && crypto.subtle.timingSafeEqual(x, y)
}

const notThisBrowser = () =>
  new OAuthError({ code: "invalid_request", description: "this sign-in was started in another browser or has expired; start again from the application" })

/** `GET /login/upstream?provider=…&tx=…`. */
export const startUpstreamSignIn = Effect.fnUntraced(function*(request: Request, ctx: RouteContext) {
  const { backends } = yield* Edge
  const params = yield* paramsFrom(new URL(request.url).searchParams)
  const providerId = params.get("provider")
  if (providerId === undefined) return yield* new OAuthError({ code: "invalid_request", description: "no identity provider was chosen" })
  const tx = yield* loadTransaction("login", params.get("tx"))
  // The link is a GET: without this check another site could start a sign-in in the victim's transaction.
  const binding = readCookie(request, CSRF_COOKIE)
  if (binding === undefined || !sameSecret(binding, tx.csrf)) return yield* notThisBrowser()
  const { authorizationUrl } = yield* backends.upstream.beginUpstreamSignIn({
    providerId,
    loginTx: tx.id,
    redirectUri: `${ctx.issuer}${UPSTREAM_CALLBACK_PATH}`,
    browserBinding: binding
  }).pipe(Effect.catchTag("NotFound", () =>
    Effect.fail(new OAuthError({ code: "invalid_request", description: "this identity provider is not available" }))))
  return seeOther(authorizationUrl)
}, orErrorPage)

/** `GET /login/upstream/callback`. */
export const upstreamCallback = Effect.fnUntraced(function*(request: Request, ctx: RouteContext) {
  const { backends } = yield* Edge
  const params = yield* paramsFrom(new URL(request.url).searchParams)
  const finished = yield* backends.upstream.finishUpstreamSignIn({
    state: params.get("state") ?? null,
    code: params.get("code") ?? null,
    error: params.get("error") ?? null,
    errorDescription: params.get("error_description") ?? null,
    browserBinding: readCookie(request, CSRF_COOKIE) ?? null,
    iss: params.get("iss") ?? null
  })
  return yield* completeSignIn(ctx, request, finished.loginTx, finished.userId, federatedMethod)
}, orErrorPage)

/** The enabled providers for the login page (moved beside the login page's renderer; re-exported for its callers). */
export { enabledUpstreamProviders } from "../authorize/present_login.ts"
