/**
 * Path → handlers. `kind` decides how a routing error (wrong method) and a
 * defect are rendered: JSON for API endpoints, an HTML page for browser ones.
 * `cors` marks the endpoints a browser-based RP calls directly.
 */
import type { Effect } from "effect"
import type { Edge } from "../edge_layer.ts"
import type { RouteContext } from "../route_context.ts"
import { authorize } from "./authorize.ts"
import { showConsent, submitConsent } from "./consent.ts"
import { discovery } from "./discovery.ts"
import { health } from "./health_endpoint.ts"
import { introspect } from "./introspect.ts"
import { jwks } from "./jwks.ts"
import { showLogin, submitLogin } from "./login.ts"
import { showSecondFactor, submitSecondFactor } from "./login_totp.ts"
import { showAccountTotp, submitAccountTotp } from "./account_totp.ts"
import { showPasskeyLogin, submitPasskeyLogin } from "./passkey_login.ts"
import { showAccountPasskeys, submitAccountPasskeys } from "./account_passkeys.ts"
import { revoke } from "./revoke.ts"
import { token } from "./token.ts"
import { limitClientEndpoint, limitLoginPage, limitPageByIp, limitPasskeyLogin } from "../http/surface_rate_limits.ts"
import { pushAuthorizationRequest } from "./par_endpoint.ts"
import { deviceAuthorization } from "./device_authorization.ts"
import { showDeviceVerification, submitDeviceVerification } from "./device_verification.ts"
import { userinfo } from "./userinfo.ts"
import { startUpstreamSignIn, upstreamCallback } from "./upstream_sign_in.ts"
import { showEmailLinkRequest, submitEmailLinkRequest, verifyEmailLink } from "./login_email.ts"
import { showForgotPassword, showResetPassword, submitForgotPassword, submitResetPassword } from "./password_recovery.ts"
import { showAccountPassword, submitAccountPassword } from "./account_password.ts"
import { showAccountProfile, submitAccountProfile } from "./account_profile.ts"
import { devOutbox } from "./dev_outbox.ts"
import { devWarmUp } from "./dev_warm_up.ts"
import { submitAccountAvatar } from "./account_avatar.ts"
import { AVATAR_PATH, avatarImage } from "./avatar_serving.ts"
import { devRateLimitCheck } from "./dev_rate_limit_check.ts"
import { showAccount, submitAccountSessions } from "./account.ts"
import { confirmEndSession, endSession } from "./end_session.ts"
import { registerMethods } from "./register.ts"
import { showAccountEmail, submitAccountEmail, verifyAccountEmail } from "./account_email.ts"
import { ADMIN_API_PREFIX, adminApi } from "../admin/admin_router.ts"
import { adminOpenApi } from "../admin/admin_openapi.ts"
import { consoleRequest } from "../console/console_router.ts"

/** A route handler: every expected failure is already rendered, so the error channel is empty. */
export type Handler = (request: Request, ctx: RouteContext) => Effect.Effect<Response, never, Edge>

/** One path's handlers. */
export interface Route {
  readonly kind: "api" | "page"
  readonly cors: boolean
  readonly methods: Readonly<Record<string, Handler>>
}

const jwksRoute: Route = { kind: "api", cors: true, methods: { GET: jwks } }

/** Every public path of the edge. */
export const routeTable: Readonly<Record<string, Route>> = {
  "/.well-known/openid-configuration": { kind: "api", cors: true, methods: { GET: discovery } },
  "/health": { kind: "api", cors: false, methods: { GET: health } },
  "/jwks": jwksRoute,
  "/.well-known/jwks.json": jwksRoute,
  "/authorize": { kind: "page", cors: false, methods: { GET: limitPageByIp(authorize), POST: limitPageByIp(authorize) } },
  "/login": { kind: "page", cors: false, methods: { GET: limitLoginPage(showLogin), POST: limitLoginPage(submitLogin) } },
  "/login/totp": { kind: "page", cors: false, methods: { GET: showSecondFactor, POST: submitSecondFactor } },
  "/account/totp": { kind: "page", cors: false, methods: { GET: showAccountTotp, POST: submitAccountTotp } },
  "/login/upstream": { kind: "page", cors: false, methods: { GET: startUpstreamSignIn } },
  "/login/upstream/callback": { kind: "page", cors: false, methods: { GET: upstreamCallback } },
  "/login/passkey": { kind: "page", cors: false, methods: { GET: limitPasskeyLogin(showPasskeyLogin), POST: limitPasskeyLogin(submitPasskeyLogin) } },
  "/account/passkeys": { kind: "page", cors: false, methods: { GET: showAccountPasskeys, POST: submitAccountPasskeys } },
  "/login/email": { kind: "page", cors: false, methods: { GET: showEmailLinkRequest, POST: submitEmailLinkRequest } },
  "/login/email/verify": { kind: "page", cors: false, methods: { GET: verifyEmailLink } },
  "/password/forgot": { kind: "page", cors: false, methods: { GET: showForgotPassword, POST: submitForgotPassword } },
  "/password/reset": { kind: "page", cors: false, methods: { GET: showResetPassword, POST: submitResetPassword } },
  "/account/password": { kind: "page", cors: false, methods: { GET: showAccountPassword, POST: submitAccountPassword } },
  "/account/profile": { kind: "page", cors: false, methods: { GET: showAccountProfile, POST: submitAccountProfile } },
  "/account/email": { kind: "page", cors: false, methods: { GET: showAccountEmail, POST: submitAccountEmail } },
  "/account/email/verify": { kind: "page", cors: false, methods: { GET: verifyAccountEmail } },
  "/dev/outbox": { kind: "page", cors: false, methods: { GET: devOutbox } },
  "/dev/rate-limit-check": { kind: "api", cors: false, methods: { POST: devRateLimitCheck } },
  "/dev/warm-up": { kind: "api", cors: false, methods: { POST: devWarmUp } },
  "/account": { kind: "page", cors: false, methods: { GET: showAccount } },
  "/account/sessions": { kind: "page", cors: false, methods: { POST: submitAccountSessions } },
  "/consent": { kind: "page", cors: false, methods: { GET: showConsent, POST: submitConsent } },
  "/token": { kind: "api", cors: true, methods: { POST: token } },
  "/par": { kind: "api", cors: true, methods: { POST: limitClientEndpoint(pushAuthorizationRequest, { cors: true }) } },
  "/device_authorization": { kind: "api", cors: false, methods: { POST: limitClientEndpoint(deviceAuthorization, { cors: false }) } },
  "/device": { kind: "page", cors: false, methods: { GET: showDeviceVerification, POST: submitDeviceVerification } },
  "/userinfo": { kind: "api", cors: true, methods: { GET: userinfo, POST: userinfo } },
  "/revoke": { kind: "api", cors: true, methods: { POST: limitClientEndpoint(revoke, { cors: true }) } },
  "/introspect": { kind: "api", cors: false, methods: { POST: limitClientEndpoint(introspect, { cors: false }) } },
  "/end_session": { kind: "page", cors: false, methods: { GET: endSession, POST: endSession } },
  "/end_session/confirm": { kind: "page", cors: false, methods: { POST: confirmEndSession } },
  "/account/avatar": { kind: "page", cors: false, methods: { POST: submitAccountAvatar } },
  "/admin/api/openapi.json": { kind: "api", cors: false, methods: { GET: adminOpenApi } },
  /** RFC 7591 registration (POST) and, with `?client_id=`, the RFC 7592 configuration endpoint (GET, PUT, DELETE). */
  "/register": { kind: "api", cors: false, methods: registerMethods },
  /** The admin console's home; its other pages are the `/admin/` prefix route (console/console_routes.ts). */
  "/admin": { kind: "page", cors: false, methods: { GET: consoleRequest, POST: consoleRequest } }
}

/** Every path under `/admin/api/v1/`: the admin router matches the operation itself (admin/admin_router.ts), wrong methods included. */
const adminApiRoute: Route = {
  kind: "api",
  cors: false,
  methods: { GET: adminApi, POST: adminApi, PUT: adminApi, PATCH: adminApi, DELETE: adminApi, HEAD: adminApi, OPTIONS: adminApi }
}

/**
 * Routes that own every path under a prefix (the handler reads the rest of the path itself), tried
 * after the exact table; the label (`/avatars/*`) is what metrics name the route, so ids never become one.
 */
const prefixRoutes: ReadonlyArray<readonly [prefix: string, label: string, route: Route]> = [
  [`${ADMIN_API_PREFIX}/`, `${ADMIN_API_PREFIX}/*`, adminApiRoute],
  // After the API: every other path under /admin/ is a console page (the console's router matches it).
  ["/admin/", "/admin/*", { kind: "page", cors: false, methods: { GET: consoleRequest, POST: consoleRequest } }],
  [AVATAR_PATH, `${AVATAR_PATH}*`, { kind: "page", cors: false, methods: { GET: avatarImage, HEAD: avatarImage } }]
]

const prefixRouteOf = (pathname: string) => prefixRoutes.find(([prefix]) => pathname.startsWith(prefix) && pathname.length > prefix.length)

/** The route of `pathname`: an exact path of {@link routeTable}, else a prefix route. */
export const routeFor = (pathname: string): Route | undefined =>
  Object.hasOwn(routeTable, pathname) ? routeTable[pathname] : prefixRouteOf(pathname)?.[2]

/** The route's name in metrics: the path, or the prefix route's label. */
export const routeLabel = (pathname: string): string | null =>
  Object.hasOwn(routeTable, pathname) ? pathname : prefixRouteOf(pathname)?.[1] ?? null
