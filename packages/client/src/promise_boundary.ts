/**
 * The package's one boundary (scripts/test/service_style.test.ts allows it to
 * run Effects): the Promise-based facade of the client, and `protect`, a
 * Worker fetch handler that answers 401/403 itself. A Promise method rejects
 * with the Effect's typed error (check `error._tag`), never a wrapper.
 */
import type { VerifiedAccessToken } from "@authrim/contracts"
import { Cause, Effect, Exit } from "effect"
import type { AuthrimEffectClient, VerifyRequestOptions } from "./authrim_client.ts"
import { missingTokenResponse, refusalResponse, unavailableResponse } from "./challenge_response.ts"

/** Runs `effect`; a typed failure rejects with the error itself. */
const toPromise = async <A, E>(effect: Effect.Effect<A, E>): Promise<A> => {
  const exit = await Effect.runPromiseExit(effect)
  if (Exit.isSuccess(exit)) return exit.value
  const failure = exit.cause.reasons.find(Cause.isFailReason)
  throw failure === undefined ? Cause.squash(exit.cause) : failure.error
}

type PromiseOf<F> = F extends (...args: infer A) => Effect.Effect<infer R, infer _E> ? (...args: A) => Promise<R> : never

/** The Promise-based client: the same methods, each a Promise rejecting with the typed error. */
export type AuthrimPromiseClient = { readonly [K in keyof AuthrimEffectClient]: PromiseOf<AuthrimEffectClient[K]> }

/** The Promise-based facade of `client`. */
export const promiseClient = (client: AuthrimEffectClient): AuthrimPromiseClient => ({
  verifyAccessToken: (token, options) => toPromise(client.verifyAccessToken(token, options)),
  verifyRequest: (request, options) => toPromise(client.verifyRequest(request, options)),
  introspect: (token, options) => toPromise(client.introspect(token, options)),
  getPublicProfile: (userId) => toPromise(client.getPublicProfile(userId)),
  getRoles: (userId) => toPromise(client.getRoles(userId)),
  hasPermission: (userId, permission) => toPromise(client.hasPermission(userId, permission)),
  endUserSessions: (input) => toPromise(client.endUserSessions(input))
})

/** How `protect` checks a request; a function of `env` when the audience is a var. */
export interface ProtectOptions extends VerifyRequestOptions {
  readonly client: AuthrimEffectClient
  /** The challenge's `realm` (default: the audience). */
  readonly realm?: string
}

/**
 * A fetch handler that runs `handler` only for a request whose access token
 * Authrim accepts; otherwise 401 (no or bad token: `WWW-Authenticate: Bearer …`
 * or `DPoP …`), 403 (`insufficient_scope`), 400 (`invalid_request`) or 503
 * (Authrim could not answer). The handler gets the verified token.
 */
export const protect = <Env, Ctx = ExecutionContext>(
  handler: (request: Request, env: Env, ctx: Ctx, token: VerifiedAccessToken) => Response | Promise<Response>,
  options: (env: Env) => ProtectOptions
) =>
async (request: Request, env: Env, ctx: Ctx): Promise<Response> => {
  const settings = options(env)
  const realm = settings.realm ?? settings.audience
  const exit = await Effect.runPromiseExit(settings.client.verifyRequest(request, settings))
  if (Exit.isSuccess(exit)) return handler(request, env, ctx, exit.value)
  const failure = exit.cause.reasons.find(Cause.isFailReason)
  if (failure === undefined) return unavailableResponse()
  const error = failure.error
  switch (error._tag) {
    case "AccessTokenMissing": return missingTokenResponse(realm)
    case "AccessTokenRefused": return refusalResponse(error, realm)
    default: return unavailableResponse()
  }
}
