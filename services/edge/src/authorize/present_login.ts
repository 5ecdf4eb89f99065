/**
 * The login page of a pending authorization, rendered in the `/authorize`
 * answer itself (issue 10: no redirect round trip to `/login?tx=…` — one
 * Worker request, one rate-limit check and the page's reads fewer per
 * sign-in). Its form posts to `/login` like the page served there; the
 * other methods' links carry the same sealed `tx`.
 */
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import type { RouteContext } from "../route_context.ts"
import { withCookies } from "../http/cookies.ts"
import { loginPage } from "../pages/login_page.ts"
import { csrfCookie } from "./csrf.ts"
import type { Locale } from "../i18n/locale.ts"
import { enabledSignInMethods } from "./sign_in_settings.ts"
import type { ClientLinks } from "../pages/client_links.ts"

/**
 * The enabled upstream providers for the login page. Never fails: if identity
 * cannot list them the page shows the other methods without the buttons.
 */
export const enabledUpstreamProviders = (ctx: RouteContext) =>
  Edge.use(({ backends }) => backends.upstream.listUpstreamProviders({}).pipe(
    Effect.map((r) => r.providers.map((p) => ({ id: p.id, name: p.name }))),
    Effect.catch(() => Effect.succeed([]))
  ))

/**
 * What the login page offers: the enabled sign-in methods (the isolate's
 * settings copy — no call while fresh) and, only when upstream sign-in is on,
 * the providers.
 */
export const loginOptions = (ctx: RouteContext) =>
  Effect.flatMap(enabledSignInMethods, (methods) =>
    Effect.map(methods.upstream ? enabledUpstreamProviders(ctx) : Effect.succeed([]), (upstreamProviders) => ({ methods, upstreamProviders })))

/** The login page of transaction `tx` for `clientName`, with this browser's CSRF cookie. */
export const presentLogin = (ctx: RouteContext, locale: Locale, tx: string, csrf: string, clientName: string, loginHint: string | null, clientLinks?: ClientLinks): Effect.Effect<Response, never, Edge> =>
  Effect.map(loginOptions(ctx), (options) =>
    withCookies(loginPage(locale, { tx, csrf, clientName, email: loginHint, error: null, ...options, ...(clientLinks === undefined ? {} : { clientLinks }) }), [csrfCookie(csrf)]))
