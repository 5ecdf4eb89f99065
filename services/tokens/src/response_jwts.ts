/**
 * JARM and RFC 9701 response JWTs for the edge (contracts/src/signed_responses.ts).
 * The claim set is built here — `iss` (checked again by keys), `aud` = the
 * client, `iat`, and for JARM `exp` — so the edge only says what the response
 * carries; keys checks the kind's rules (services/keys/src/token_claim_rules.ts)
 * and sets the `typ`. RS256: the default of both specifications (JARM §2.2,
 * RFC 9701 §5); there is no per-client alg metadata yet.
 */
import { AUTHORIZATION_RESPONSE_TTL_SECONDS, OAuthError, type SignedResponsesContract, type Unavailable } from "@authrim/contracts"
import { Clock, Effect } from "effect"
import { keysFailures } from "./sign_jwt.ts"
import { TokenStores } from "./token_stores.ts"

type AuthorizationResponseInput = typeof SignedResponsesContract.signAuthorizationResponse.input.Type
type IntrospectionResponseInput = typeof SignedResponsesContract.signIntrospectionResponse.input.Type

/** Claims this service sets on a JARM response; a parameter of the same name would override them. */
const RESERVED = ["iss", "aud", "iat", "exp"]

/** Signs one claim set of `kind` (RS256) with the keys service. */
const signOne = (kind: "authorization_response" | "token_introspection", claims: Record<string, unknown>): Effect.Effect<{ readonly jwt: string }, OAuthError | Unavailable, TokenStores> =>
  TokenStores.use(({ keys }) => keys.signTokens({ tokens: [{ kind, alg: "RS256", claims }] })).pipe(
    Effect.map(({ signed }) => ({ jwt: signed[0]!.jwt })),
    keysFailures
  )

/** JARM §2.1: the response parameters as claims, with iss, aud (the client), iat and a 10-minute exp. */
export const signAuthorizationResponse = Effect.fnUntraced(function*(input: AuthorizationResponseInput): Effect.fn.Return<{ readonly jwt: string }, OAuthError | Unavailable, TokenStores> {
  const reserved = RESERVED.find((name) => name in input.params)
  if (reserved !== undefined) return yield* new OAuthError({ code: "server_error", description: `${reserved} is set by the provider, not a response parameter` })
  const iat = Math.floor((yield* Clock.currentTimeMillis) / 1000)
  return yield* signOne("authorization_response", {
    ...input.params, iss: input.issuer, aud: input.clientId, iat, exp: iat + AUTHORIZATION_RESPONSE_TTL_SECONDS
  })
})

/** RFC 9701 §5: `{iss, aud, iat, token_introspection}`, nothing else at the top level. */
export const signIntrospectionResponse = Effect.fnUntraced(function*(input: IntrospectionResponseInput): Effect.fn.Return<{ readonly jwt: string }, OAuthError | Unavailable, TokenStores> {
  const iat = Math.floor((yield* Clock.currentTimeMillis) / 1000)
  return yield* signOne("token_introspection", { iss: input.issuer, aud: input.clientId, iat, token_introspection: input.introspection })
})
