/**
 * `makeAuthrimClient`: the Effect-based view of Authrim's consumer
 * entrypoints, from the bindings a Worker has —
 * `tokens` (TokensForResourceServers), optionally `directory`
 * (IdentityDirectory) and `sessions` (SessionsForWorkers). Every method is an
 * Effect whose error channel says what can go wrong: the contract's errors
 * (AccessTokenRefused, NotFound, Unavailable, Misconfigured), `RpcFailure` when
 * the call itself failed, `BindingMissing` for a binding not given.
 */
import {
  DirectoryContract, makeClient, ResourceServerContract, SessionsForWorkersContract,
  type AccessTokenRefused, type AuditActor, type DirectoryRpc, type Introspection, type Misconfigured, type NotFound, type PresentedScheme,
  type PublicProfile, type ResourceDpopProof, type ResourceServerRpc, type RpcFailure, type SessionsForWorkersRpc, type Unavailable,
  type VerifiedAccessToken
} from "@authrim/contracts"
import { Effect } from "effect"
import { BindingMissing, type AccessTokenMissing } from "./client_errors.ts"
import { presentedCredentials } from "./presented_credentials.ts"
import { promiseClient, type AuthrimPromiseClient } from "./promise_boundary.ts"

/** The bindings (and the trusted issuer) a client is made from. */
export interface AuthrimBindings {
  /** The issuer the Worker trusts: the `iss` of Authrim's tokens, e.g. `https://id.example.com`. */
  readonly issuer: string
  /** `env.AUTHRIM`: authrim-tokens, entrypoint TokensForResourceServers. */
  readonly tokens: ResourceServerRpc
  /** `env.AUTHRIM_DIRECTORY`: authrim-identity, entrypoint IdentityDirectory. */
  readonly directory?: DirectoryRpc | undefined
  /** `env.AUTHRIM_SESSIONS`: authrim-session, entrypoint SessionsForWorkers. */
  readonly sessions?: SessionsForWorkersRpc | undefined
}

/** What every call may fail with besides its own errors: the RPC did not complete, or Authrim is misconfigured. */
export type CallFailure = RpcFailure | Misconfigured

/** What verifyAccessToken is told besides the client's issuer. */
export interface VerifyOptions {
  readonly audience: string
  readonly scheme?: PresentedScheme
  readonly dpop?: ResourceDpopProof
  /** Scopes the resource requires (all of them): one missing is `insufficient_scope`. */
  readonly scope?: ReadonlyArray<string>
}

/** What verifyRequest is told. */
export interface VerifyRequestOptions {
  readonly audience: string
  readonly scope?: ReadonlyArray<string>
  /** The URL the client addressed, when a proxy changed `request.url` (a DPoP proof's `htu`). */
  readonly url?: string
}

/** The Effect-based methods. */
export interface AuthrimEffectClient {
  /** Verifies an access token for this resource server (signature, iss, aud, exp, revocation, DPoP binding, scope). */
  readonly verifyAccessToken: (token: string, options: VerifyOptions) => Effect.Effect<VerifiedAccessToken, AccessTokenRefused | Unavailable | CallFailure>
  /** Reads `Authorization: Bearer|DPoP` and `DPoP` from a request and verifies them. */
  readonly verifyRequest: (request: Request, options: VerifyRequestOptions) => Effect.Effect<VerifiedAccessToken, AccessTokenMissing | AccessTokenRefused | Unavailable | CallFailure>
  /** RFC 7662 introspection of a token for this resource server (`{ active: false }` when not for it). */
  readonly introspect: (token: string, options: { readonly audience: string }) => Effect.Effect<Introspection, Unavailable | CallFailure>
  /** The user's public profile (no email or phone). */
  readonly getPublicProfile: (userId: string) => Effect.Effect<PublicProfile, NotFound | Unavailable | CallFailure | BindingMissing>
  /** The names of the user's roles. */
  readonly getRoles: (userId: string) => Effect.Effect<ReadonlyArray<string>, NotFound | Unavailable | CallFailure | BindingMissing>
  /** Whether the user's roles grant `permission` now. */
  readonly hasPermission: (userId: string, permission: string) => Effect.Effect<boolean, Unavailable | CallFailure | BindingMissing>
  /** Ends every session of the user (audited with `actor` and `reason`); the ended sessions' ids. */
  readonly endUserSessions: (input: { readonly userId: string; readonly reason: string; readonly actor: AuditActor }) => Effect.Effect<ReadonlyArray<string>, Unavailable | CallFailure | BindingMissing>
}

const missing = (binding: string) => Effect.fail(new BindingMissing({ binding }))

/** The client: the Effect-based methods, and the same as Promises under `promise`. */
export interface AuthrimClient extends AuthrimEffectClient {
  readonly promise: AuthrimPromiseClient
}

/** The client of `bindings`. Cheap: make one per request if that is simpler. */
export const makeAuthrimClient = (bindings: AuthrimBindings): AuthrimClient => {
  const client = effectClient(bindings)
  return { ...client, promise: promiseClient(client) }
}

const effectClient = (bindings: AuthrimBindings): AuthrimEffectClient => {
  const tokens = makeClient("tokens", ResourceServerContract, bindings.tokens)
  const directory = bindings.directory === undefined ? undefined : makeClient("identity", DirectoryContract, bindings.directory)
  const sessions = bindings.sessions === undefined ? undefined : makeClient("session", SessionsForWorkersContract, bindings.sessions)
  const verifyAccessToken = (token: string, options: VerifyOptions) =>
    tokens.verifyAccessToken({
      token, issuer: bindings.issuer, audience: options.audience,
      ...(options.scheme === undefined ? {} : { scheme: options.scheme }),
      ...(options.dpop === undefined ? {} : { dpop: options.dpop }),
      ...(options.scope === undefined ? {} : { requiredScopes: [...options.scope] })
    })
  return {
    verifyAccessToken,
    verifyRequest: (request, options) =>
      Effect.flatMap(presentedCredentials(request, options.url), (presented) =>
        verifyAccessToken(presented.token, {
          audience: options.audience, scheme: presented.scheme,
          ...(presented.dpop === undefined ? {} : { dpop: presented.dpop }),
          ...(options.scope === undefined ? {} : { scope: options.scope })
        })),
    introspect: (token, options) => tokens.introspect({ token, issuer: bindings.issuer, audience: options.audience }),
    getPublicProfile: (userId) => directory === undefined ? missing("directory") : directory.getPublicProfile({ userId }),
    getRoles: (userId) => directory === undefined ? missing("directory") : Effect.map(directory.getRoles({ userId }), (r) => r.roles),
    hasPermission: (userId, permission) =>
      directory === undefined ? missing("directory") : Effect.map(directory.hasPermission({ userId, permission }), (r) => r.granted),
    endUserSessions: (input) => sessions === undefined ? missing("sessions") : Effect.map(sessions.endUserSessions(input), (r) => r.ended)
  }
}
