/**
 * RFC 7662 introspection on behalf of an authenticated client. A token is
 * active only when it is valid, unrevoked, unexpired AND was issued to the
 * asking client; anything else is `{ active: false }` and nothing more
 * (§2.2), so a client cannot probe other clients' tokens.
 * The token kind is told by its format; `token_type_hint` is not needed (§2.1 allows ignoring it).
 */
import { sha256Base64url } from "@authrim/platform"
import { activeAccessTokenIntrospection, type Introspection, type TokensContract, type Unavailable } from "@authrim/contracts"
import { Clock, Effect } from "effect"
import { refreshShardName } from "./shard_routing.ts"
import { familyIdOf } from "./token_format.ts"
import { callStore, TokenStores } from "./token_stores.ts"
import { ANY_AUDIENCE, isAccessTokenRevoked, issuedTo, verifyAccessJwt } from "./verify_access_token.ts"
import { subjectClaims } from "./pairwise/pairwise_subject.ts"

type IntrospectInput = typeof TokensContract.introspect.input.Type

const inactive: Introspection = { active: false }
const seconds = (ms: number): number => Math.floor(ms / 1000)

/** Introspects an access token (JWT) or a refresh token. */
export const introspectToken = (input: IntrospectInput): Effect.Effect<Introspection, Unavailable, TokenStores> =>
  familyIdOf(input.token) === null ? introspectAccessToken(input) : introspectRefreshToken(input)

const introspectAccessToken = Effect.fnUntraced(function*(input: IntrospectInput): Effect.fn.Return<Introspection, Unavailable, TokenStores> {
  // Any `aud`: the asking client is the one the token was issued to (checked below), whatever resource it names.
  const payload = yield* verifyAccessJwt(input.issuer, input.token, ANY_AUDIENCE).pipe(
    Effect.catchTag("OAuthError", () => Effect.succeed(null))
  )
  if (payload === null || payload.client_id !== input.clientId) return inactive
  if (yield* isAccessTokenRevoked(payload.jti, issuedTo(payload))) return inactive
  return activeAccessTokenIntrospection(payload)
})

const introspectRefreshToken = Effect.fnUntraced(function*(input: IntrospectInput): Effect.fn.Return<Introspection, Unavailable, TokenStores> {
  const familyId = familyIdOf(input.token)
  if (familyId === null) return inactive
  const stores = yield* TokenStores
  const now = yield* Clock.currentTimeMillis
  const presentedHash = yield* sha256Base64url(input.token)
  const family = yield* callStore("refresh.inspect", () =>
    stores.refreshRotator(refreshShardName(input.clientId, familyId)).inspect({ familyId, presentedHash, clientId: input.clientId, now }))
  if (family === null) return inactive
  // A refresh family keeps the real user; a pairwise client is told its own `sub` (an access token already carries it).
  const { sub } = yield* subjectClaims(stores.pairwise, family.userId, input.pairwiseSector)
  return {
    active: true, scope: family.scope, client_id: family.clientId, sub, exp: seconds(family.expiresAt),
    iat: seconds(family.lastRotation), iss: input.issuer, token_type: "refresh_token"
  }
})
