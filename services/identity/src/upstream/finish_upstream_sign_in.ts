/**
 * Finishes "Sign in with …" from the callback query: the state's round trip
 * (single use, same browser), the upstream's own error if it sent one, the
 * code exchange, ID-token validation (oidc) or userinfo (oauth2), the nonce
 * (single use in NONCE_STORE) and the account resolution.
 */
import { accountDisabled, isUserDisabledIn } from "../users/user_disabled.ts"
import { constantTimeEqual, sha256Hex } from "@authrim/platform"
import { OAuthError } from "@authrim/contracts"
import { Clock, Effect } from "effect"
import { auditSignInFailure, auditSignInSucceeded } from "../identity_audit.ts"
import { loadEnabledProvider } from "./identity_providers.ts"
import { resolveUpstreamUser } from "./upstream_account_linking.ts"
import { UpstreamBindings } from "./upstream_bindings.ts"
import { oauth2Account, oidcAccount } from "./upstream_claims.ts"
import { exchangeCode } from "./upstream_code_exchange.ts"
import { endpointsOf } from "./upstream_endpoints.ts"
import { validateIdToken } from "./upstream_id_token.ts"
import { takeNonce, takeRoundTrip } from "./upstream_round_trip.ts"

export interface FinishInput {
  readonly state: string | null
  readonly code: string | null
  readonly error: string | null
  readonly errorDescription: string | null
  readonly browserBinding: string | null
  readonly iss?: string | null | undefined
}

const badState = () =>
  new OAuthError({ code: "invalid_request", description: "this sign-in with the identity provider expired, was already used or was started in another browser; start again" })

const hexBytes = (hex: string) => new TextEncoder().encode(hex)

/** The upstream's error code, reduced to what is safe to show (RFC 6749 §4.1.2.1 codes are `[\x20-\x7E]`). */
const printable = (s: string) => s.replace(/[^\x20-\x7E]/g, "").slice(0, 200)

const completeUpstreamSignIn = Effect.fnUntraced(function*(input: FinishInput) {
  if (input.state === null || input.state === "" || input.state.length > 512) return yield* badState()
  const stateHash = yield* sha256Hex(input.state)
  const roundTrip = yield* takeRoundTrip(stateHash)
  if (roundTrip === null || input.browserBinding === null) return yield* badState()
  const browserHash = yield* sha256Hex(input.browserBinding)
  if (!constantTimeEqual(hexBytes(browserHash), hexBytes(roundTrip.browserHash))) return yield* badState()
  if (input.error !== null) {
    const detail = input.errorDescription === null ? "" : `: ${printable(input.errorDescription)}`
    return yield* new OAuthError({ code: "access_denied", description: `the identity provider did not sign you in (${printable(input.error)}${detail})` })
  }
  if (input.code === null || input.code === "") {
    return yield* new OAuthError({ code: "invalid_request", description: "the identity provider sent no authorization code" })
  }
  const provider = yield* loadEnabledProvider(roundTrip.providerId)
  const endpoints = yield* endpointsOf(provider)
  if (input.iss != null && endpoints.issuer !== null && input.iss !== endpoints.issuer) {
    return yield* new OAuthError({ code: "access_denied", description: "the authorization response came from another identity provider (RFC 9207 iss mismatch)" })
  }
  const tokens = yield* exchangeCode(provider, endpoints, input.code, roundTrip.redirectUri, roundTrip.codeVerifier)
  const account = yield* Effect.gen(function*() {
    if (provider.providerType === "oauth2" || tokens.idToken === null || endpoints.issuer === null || endpoints.jwksUri === null) {
      return yield* oauth2Account(provider, endpoints.userinfoEndpoint, tokens.accessToken)
    }
    const { metadata } = yield* UpstreamBindings
    const claims = yield* validateIdToken(tokens.idToken, {
      keys: metadata.keySet(endpoints.jwksUri),
      issuer: endpoints.issuer,
      clientId: provider.config.client_id,
      algorithms: endpoints.idTokenAlgs,
      nonceHash: roundTrip.nonceHash,
      nowMs: yield* Clock.currentTimeMillis
    })
    if (!(yield* takeNonce(roundTrip.nonceHash, stateHash))) {
      return yield* new OAuthError({ code: "access_denied", description: "the identity provider's ID token was rejected: nonce already used" })
    }
    return yield* oidcAccount(provider, claims, endpoints.userinfoEndpoint, tokens.accessToken)
  })
  const { userId, resolution } = yield* resolveUpstreamUser(provider.id, account)
  // Issue 12: the upstream proved who this is; a disabled account is told so (a new user is never disabled).
  if (resolution !== "created" && (yield* isUserDisabledIn((yield* UpstreamBindings).db, userId))) return yield* accountDisabled()
  return { userId, loginTx: roundTrip.loginTx, providerId: provider.id, resolution }
})

/**
 * An upstream sign-in, audited: `sign_in.succeeded` with the provider and how
 * the account was resolved (the upstream's amr/acr are not known here), or
 * `sign_in.failed` with the OAuth error code.
 */
export const finishUpstreamSignIn = (input: FinishInput) =>
  completeUpstreamSignIn(input).pipe(
    Effect.tap((signIn) =>
      auditSignInSucceeded({ method: "upstream", userId: signIn.userId, details: { provider: signIn.providerId, resolution: signIn.resolution } })),
    Effect.tapError(auditSignInFailure("upstream"))
  )
