/**
 * introspect of `TokensForResourceServers` (RFC 7662 for a resource server,
 * issue 13 §1). Unlike the edge's /introspect (introspect_token.ts: active
 * only for the client the token was issued to) the question here is the
 * resource server's: is this an access token for me — valid signature, iss,
 * `aud` ∋ audience, unexpired, unrevoked. Anything else is `{ active: false }`
 * and nothing more (§2.2). A refresh token is never active here.
 */
import { activeAccessTokenIntrospection, type Introspection, type ResourceIntrospectRequest, type Unavailable } from "@authrim/contracts"
import { Effect } from "effect"
import { familyIdOf } from "../token_format.ts"
import type { TokenStores } from "../token_stores.ts"
import { isAccessTokenRevoked, issuedTo, verifyAccessJwt } from "../verify_access_token.ts"

const inactive: Introspection = { active: false }

/** The RFC 7662 answer for a resource server. */
export const introspectForResourceServer = Effect.fnUntraced(function*(
  input: ResourceIntrospectRequest
): Effect.fn.Return<Introspection, Unavailable, TokenStores> {
  if (input.issuer === "" || input.audience === "" || familyIdOf(input.token) !== null) return inactive
  const payload = yield* verifyAccessJwt(input.issuer, input.token, input.audience).pipe(
    Effect.catchTag("OAuthError", () => Effect.succeed(null))
  )
  if (payload === null) return inactive
  if (yield* isAccessTokenRevoked(payload.jti, issuedTo(payload))) return inactive
  return activeAccessTokenIntrospection(payload)
})
