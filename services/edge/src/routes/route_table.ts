/**
 * Path → handlers. `kind` decides how a routing error (wrong method) and a
 * defect are rendered: JSON for API endpoints, an HTML page for browser ones.
 * `cors` marks the endpoints a browser-based RP calls directly.
 */
import type { Effect } from "effect"
import type { EdgeContext } from "../edge_context.ts"
import { authorize } from "./authorize.ts"
import { showConsent, submitConsent } from "./consent.ts"
import { discovery } from "./discovery.ts"
import { introspect } from "./introspect.ts"
import { jwks } from "./jwks.ts"
import { showLogin, submitLogin } from "./login.ts"
import { revoke } from "./revoke.ts"
import { token } from "./token.ts"
import { userinfo } from "./userinfo.ts"

/** A route handler: every expected failure is already rendered, so the error channel is empty. */
export type Handler = (request: Request, ctx: EdgeContext) => Effect.Effect<Response>

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
  "/jwks": jwksRoute,
  "/.well-known/jwks.json": jwksRoute,
  "/authorize": { kind: "page", cors: false, methods: { GET: authorize, POST: authorize } },
  "/login": { kind: "page", cors: false, methods: { GET: showLogin, POST: submitLogin } },
  "/consent": { kind: "page", cors: false, methods: { GET: showConsent, POST: submitConsent } },
  "/token": { kind: "api", cors: true, methods: { POST: token } },
  "/userinfo": { kind: "api", cors: true, methods: { GET: userinfo, POST: userinfo } },
  "/revoke": { kind: "api", cors: true, methods: { POST: revoke } },
  "/introspect": { kind: "api", cors: false, methods: { POST: introspect } }
}
