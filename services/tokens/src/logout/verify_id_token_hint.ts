/**
 * `id_token_hint` at the end-session endpoint (OIDC RP-Initiated Logout 1.0
 * §2): an ID token this provider issued, checked by signature against its own
 * JWKS and by `iss`. An expired one is still a good hint (§2: the OP need not
 * reject it for being expired), so expiry is reported, not refused. Only the
 * signature makes it trustworthy: it says which user and session the RP
 * means, and which client sent the user here.
 */
import { OAuthError, type IdTokenHint, type Unavailable } from "@authrim/contracts"
import { Clock, Effect, Result, Schema } from "effect"
import { compactVerify, createLocalJWKSet, errors, type JSONWebKeySet } from "jose"
import { currentJwks } from "../verification_keys_cache.ts"
import { TokenStores } from "../token_stores.ts"
import { openUser } from "../pairwise/pairwise_subject.ts"

/** The ID-token claims a hint needs (see issue_tokens.ts `signIdToken`). */
const IdTokenClaims = Schema.Struct({
  iss: Schema.String,
  sub: Schema.String,
  aud: Schema.Union([Schema.String, Schema.NonEmptyArray(Schema.String)]),
  azp: Schema.optional(Schema.String),
  exp: Schema.Number,
  sid: Schema.optional(Schema.String),
  /** A pairwise client's ID token: the real user, sealed (pairwise/pairwise_subject.ts). */
  authrim_user: Schema.optional(Schema.String)
})
const decodeClaims = Schema.decodeUnknownEffect(Schema.fromJsonString(IdTokenClaims))

/** Tokens of ours that are not ID tokens, told apart by their JOSE `typ`. */
const notIdTokenTypes = new Set(["at+jwt", "logout+jwt", "application/at+jwt", "application/logout+jwt"])

const invalidHint = () => new OAuthError({ code: "invalid_request", description: "id_token_hint is not a valid ID token issued by this provider" })

class SignatureRejected extends Schema.TaggedError<SignatureRejected>()("SignatureRejected", {
  unknownKid: Schema.Boolean
}) {}

const verifySignature = (token: string, jwks: JSONWebKeySet) =>
  Effect.tryPromise({
    try: () => compactVerify(token, createLocalJWKSet(jwks), { algorithms: ["RS256", "ES256"] }),
    catch: (cause) => new SignatureRejected({ unknownKid: cause instanceof errors.JWKSNoMatchingKey })
  })

/** verifyIdTokenHint of the logout contract. */
export const verifyIdTokenHint = Effect.fnUntraced(function*(input: { readonly issuer: string; readonly idToken: string }): Effect.fn.Return<IdTokenHint, OAuthError | Unavailable, TokenStores> {
  const first = yield* currentJwks(false)
  let verified = yield* Effect.result(verifySignature(input.idToken, first.jwks))
  if (Result.isFailure(verified) && verified.failure.unknownKid && !first.fresh) {
    verified = yield* Effect.result(verifySignature(input.idToken, (yield* currentJwks(true)).jwks))
  }
  if (Result.isFailure(verified)) return yield* invalidHint()
  const typ = verified.success.protectedHeader.typ?.toLowerCase()
  if (typ !== undefined && notIdTokenTypes.has(typ)) return yield* invalidHint()
  const claims = yield* decodeClaims(new TextDecoder().decode(verified.success.payload)).pipe(Effect.mapError(invalidHint))
  if (claims.iss !== input.issuer) return yield* invalidHint()
  // OIDC Core §2: with several audiences azp names the client; ours always have one.
  const clientId = typeof claims.aud === "string" ? claims.aud : claims.azp ?? (claims.aud.length === 1 ? claims.aud[0] : undefined)
  if (clientId === undefined) return yield* invalidHint()
  const now = yield* Clock.currentTimeMillis
  // OIDC Core §8.1: a pairwise `sub` is not the user id; the sealed real user is (a seal we cannot open: not our hint).
  const userId = claims.authrim_user === undefined ? undefined : yield* openUser(yield* (yield* TokenStores).pairwise.keys, claims.authrim_user)
  if (userId === null) return yield* invalidHint()
  return { sub: claims.sub, clientId, sid: claims.sid ?? null, expired: claims.exp * 1000 <= now, ...(userId === undefined ? {} : { userId }) }
})
