/**
 * The logout token (OIDC Back-Channel Logout 1.0 §2.4): a JWT with JOSE
 * `typ: logout+jwt` (§2.4, RFC 8417 explicit typing), `iss`, `aud` = the
 * client, `iat`, a short `exp`, a fresh `jti`, `sub` and `sid`, and the
 * back-channel logout event. It MUST NOT carry a `nonce` (§2.4), so it can
 * never be mistaken for an ID token.
 */
import { BACKCHANNEL_LOGOUT_EVENT, KeysSigningContract, type OAuthError, type RpcClient, type Unavailable } from "@authrim/contracts"
import { Effect } from "effect"
import type { BackchannelMessage } from "./backchannel_message.ts"
import { keysFailures } from "../sign_jwt.ts"

/** The event member that makes a JWT a logout token (§2.4; contracts/src/keys.ts). */
export { BACKCHANNEL_LOGOUT_EVENT }

/**
 * Lifetime of a logout token: two minutes, the spec's recommended upper
 * bound (§2.4 "SHOULD NOT exceed two minutes"); each delivery attempt signs a
 * new one, so retries never send a stale token.
 */
export const LOGOUT_TOKEN_TTL_SECONDS = 120

/** The claim set of the logout token for `message`, issued at `now` (epoch ms). */
export const logoutTokenClaims = (message: BackchannelMessage, now: number, jti: string) => {
  const iat = Math.floor(now / 1000)
  return {
    iss: message.issuer,
    aud: message.clientId,
    iat,
    exp: iat + LOGOUT_TOKEN_TTL_SECONDS,
    jti,
    sub: message.sub,
    sid: message.sid,
    events: { [BACKCHANNEL_LOGOUT_EVENT]: {} }
  }
}

/** Signs the logout token through the keys service (kind `logout_token`: keys sets `typ: logout+jwt`), with the client's ID-token algorithm. */
export const signLogoutToken = (
  keys: RpcClient<typeof KeysSigningContract>,
  message: BackchannelMessage,
  now: number
): Effect.Effect<string, OAuthError | Unavailable> =>
  keys.signTokens({ tokens: [{ kind: "logout_token", alg: message.alg, claims: logoutTokenClaims(message, now, crypto.randomUUID()) }] }).pipe(
    Effect.map(({ signed }) => signed[0]!.jwt),
    keysFailures
  )
