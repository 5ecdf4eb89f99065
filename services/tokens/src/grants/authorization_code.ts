/**
 * Authorization codes: minting (after the user authorised) and the
 * authorization_code grant (RFC 6749 §4.1.3, RFC 7636 §4.6).
 *
 * Replay (RFC 6749 §4.1.2): a second redemption fails with `invalid_grant` and
 * revokes every token the first one issued — its access token and its refresh
 * family (with the access tokens that family issued since). Because the token
 * ids are fixed at the moment of redemption, this holds even when the replay
 * arrives while the first redemption is still signing: then the first caller
 * still receives its TokenSet, but those tokens are already dead.
 */
import { sha256Base64url } from "@authrim/platform"
import { invalidTargetRefusal, narrowedResources, OAuthError, type CodeGrantInput, type RequestedClaims, type TokenSet, type TokensContract, type Unavailable } from "@authrim/contracts"
import { Clock, Effect } from "effect"
import type { ConsumeOutcome, IssuedIds, StoredGrant } from "../authorization_code_store.ts"
import { challengePattern, pkceRejection, verifierChallenge } from "../verify_pkce.ts"
import { issueTokenSet, type GrantFacts } from "../issue_tokens.ts"
import { denylistAccessTokens, revokeFamily } from "../revoke_issued.ts"
import { authorizationCodeTtlMs, configuredLifetimes } from "../token_lifetimes.ts"
import { newCodeShard, newFamilyId, newJti, parseCode } from "../token_format.ts"
import { sealGrant, unsealGrant, type SealedGrant } from "../sealed_code.ts"
import { issueRefreshFamily, refreshKindOf } from "./refresh_family_issuance.ts"
import { callStore, TokenStores } from "../token_stores.ts"
import { auditCodeReplayed, auditTokenIssued } from "../token_audit.ts"
import type { AuditTrail } from "@authrim/audit-trail"

type ExchangeInput = typeof TokensContract.exchangeAuthorizationCode.input.Type

const invalidGrant = (description: string) => new OAuthError({ code: "invalid_grant", description })

/** Mints a 60-second code: the grant sealed into it, in a random shard. No storage is written. */
export const createAuthorizationCode = Effect.fnUntraced(function*(input: CodeGrantInput): Effect.fn.Return<{ code: string; expiresAt: number }, OAuthError | Unavailable, TokenStores> {
  if (input.codeChallenge !== null && !challengePattern.test(input.codeChallenge)) {
    return yield* new OAuthError({ code: "invalid_request", description: "code_challenge must be an S256 challenge (43 base64url characters)" })
  }
  const stores = yield* TokenStores
  const key = yield* stores.codeKey
  const now = yield* Clock.currentTimeMillis
  const shard = newCodeShard()
  const expiresAt = now + authorizationCodeTtlMs
  const body = yield* sealGrant(key, shard, { grant: input, issuedAt: now, expiresAt, requestedClaims: input.requestedClaims, resources: input.resources })
  return { code: `${shard}_${body}`, expiresAt }
})

/** The grant of a redeemed code and when the code was made. */
interface Redeemed {
  readonly grant: StoredGrant
  readonly issuedAt: number
  /** Issue 14: the resolved `claims` request sealed in the code. */
  readonly requestedClaims?: RequestedClaims | undefined
  /** Issue 14: the RFC 8707 resources granted (kept with the refresh family) and those this token is for (its `aud`). */
  readonly resources: { readonly granted: ReadonlyArray<string>; readonly issued: ReadonlyArray<string> }
}

/**
 * RFC 8707 §2.2: the request's `resource` values narrow the granted ones; one outside them is
 * `invalid_target`, decided before the code is consumed so a bad request does not burn it.
 */
const resourcesFor = (granted: ReadonlyArray<string>, requested: ReadonlyArray<string> | undefined): Effect.Effect<Redeemed["resources"], OAuthError> => {
  const issued = narrowedResources(granted, requested ?? [])
  return issued === null
    ? Effect.fail(invalidTargetRefusal("a requested resource was not granted by this authorization code"))
    : Effect.succeed({ granted, issued })
}

/**
 * Opens a sealed code, checks what needs no state, and consumes it in its
 * shard (one Durable Object request). A replay revokes what the first
 * redemption issued. Codes minted before issue 10 go through the stored path.
 */
const redeemCode = Effect.fnUntraced(function*(input: ExchangeInput, issued: IssuedIds, now: number): Effect.fn.Return<Redeemed, OAuthError | Unavailable, TokenStores | AuditTrail> {
  const parsed = parseCode(input.code)
  if (parsed === null) return yield* invalidGrant("unknown or expired authorization code")
  const stores = yield* TokenStores
  const challenge = yield* verifierChallenge(input.codeVerifier)
  const codeHash = yield* sha256Base64url(input.code)
  if (parsed.stored) {
    // Codes stored before issue 10 carry no resources: any requested one is outside the grant.
    const resources = yield* resourcesFor([], input.resources)
    const outcome = yield* callStore("codes.redeem", async () => stores.codeStore(parsed.shard).redeem({
      ...issued, codeHash, clientId: input.clientId, redirectUri: input.redirectUri, verifierChallenge: challenge, now
    }))
    if (outcome._tag === "replayed") return yield* replayed(input.clientId, outcome.issued)
    if (outcome._tag === "rejected") return yield* invalidGrant(outcome.reason)
    return { grant: outcome.grant, issuedAt: outcome.issuedAt, resources }
  }
  const sealed = yield* unsealGrant(yield* stores.codeKey, parsed.shard, parsed.body)
  if (sealed === null) return yield* invalidGrant("unknown or expired authorization code")
  // Another client's attempt learns nothing and changes nothing: refused before the shard is asked.
  if (sealed.grant.clientId !== input.clientId) return yield* invalidGrant("authorization code was issued to another client")
  const resources = yield* resourcesFor(sealed.resources ?? [], input.resources)
  const outcome = yield* callStore("codes.consume", async (): Promise<ConsumeOutcome> => stores.codeStore(parsed.shard).consume({
    ...issued, codeHash, clientId: input.clientId, rejection: statelessRejection(sealed, input.redirectUri, challenge, now), now
  }))
  if (outcome._tag === "replayed") return yield* replayed(input.clientId, outcome.issued)
  if (outcome._tag === "rejected") return yield* invalidGrant(outcome.reason)
  return { grant: sealed.grant, issuedAt: sealed.issuedAt, requestedClaims: sealed.requestedClaims, resources }
})

/** Why a sealed code may not be redeemed by this request (null: it may); checked in the order of RFC 6749 §4.1.3 / RFC 7636 §4.6. */
const statelessRejection = (sealed: SealedGrant, redirectUri: string | null, challenge: string | null, now: number): string | null => {
  if (sealed.expiresAt <= now) return "authorization code expired"
  // RFC 6749 §4.1.3: redirect_uri was sent at authorization (OIDC requires it), so it must be sent again, identical.
  if (redirectUri === null || redirectUri !== sealed.grant.redirectUri) return "redirect_uri does not match the authorization request"
  return pkceRejection(sealed.grant.codeChallenge, challenge)
}

/** A replayed code: revoke what its first redemption issued, record `code.replayed`, then refuse. */
const replayed = (clientId: string, issued: IssuedIds) =>
  revokeWhatTheCodeIssued(clientId, issued).pipe(
    Effect.andThen(auditCodeReplayed({ clientId, familyRevoked: issued.refreshFamilyId !== null })),
    Effect.andThen(Effect.fail(invalidGrant("authorization code already used; the tokens issued from it are revoked")))
  )

/** The authorization_code grant. Every rejection is `invalid_grant` (the reason is in the description). */
export const exchangeAuthorizationCode = Effect.fnUntraced(function*(input: ExchangeInput): Effect.fn.Return<TokenSet, OAuthError | Unavailable, TokenStores | AuditTrail> {
  const now = yield* Clock.currentTimeMillis
  const issued: IssuedIds = {
    accessJti: newJti(),
    accessExpiresAt: now + (yield* configuredLifetimes).accessTokenTtlMs,
    refreshFamilyId: input.issueRefreshToken ? newFamilyId() : null
  }
  const { grant, issuedAt, requestedClaims, resources } = yield* redeemCode(input, issued, now)
  const access = { jti: issued.accessJti, expiresAt: issued.accessExpiresAt }
  const kind = refreshKindOf({
    issueRefreshToken: issued.refreshFamilyId !== null, onlineRefreshTokens: input.onlineRefreshTokens,
    scope: grant.scope, sid: grant.sid, sessionExpiresAt: grant.sessionExpiresAt, now
  })
  let refreshToken: string | null = null
  let sid = grant.sid
  if (kind !== null && issued.refreshFamilyId !== null) {
    const family = yield* issueRefreshFamily({
      kind, familyId: issued.refreshFamilyId, clientId: grant.clientId, userId: grant.userId, scope: grant.scope,
      authTime: grant.authTime, sid: grant.sid, sessionExpiresAt: grant.sessionExpiresAt ?? null, amr: grant.amr, acr: grant.acr,
      grantedAt: issuedAt, now, access,
      ...(requestedClaims === undefined ? {} : { requestedClaims }),
      // RFC 8707: the family keeps every resource granted; each refresh may narrow again.
      ...(resources.granted.length === 0 ? {} : { resources: resources.granted }),
      ...(input.bindRefreshToDpop === true && input.dpopJkt !== undefined ? { dpopJkt: input.dpopJkt } : {})
    })
    refreshToken = family.refreshToken
    sid = family.sid
  }
  const facts: GrantFacts = {
    issuer: input.issuer, clientId: grant.clientId, userId: grant.userId, scope: grant.scope,
    authTime: grant.authTime, acr: grant.acr, amr: grant.amr, sid,
    ...(requestedClaims === undefined ? {} : { requestedClaims }),
    ...(resources.issued.length === 0 ? {} : { resources: resources.issued })
  }
  const tokens = yield* issueTokenSet({
    facts, idTokenAlg: input.idTokenAlg, nonce: grant.nonce, accessJti: access.jti,
    accessExpiresAt: access.expiresAt, now, refreshToken, dpopJkt: input.dpopJkt, pairwiseSector: input.pairwiseSector
  })
  yield* auditTokenIssued({
    grant: "authorization_code", clientId: grant.clientId, userId: grant.userId, scope: grant.scope,
    dpopBound: input.dpopJkt !== undefined, refreshIssued: refreshToken !== null
  })
  return tokens
})

/** The replay rule: denylist the first redemption's access token and revoke its refresh family (even before it exists). */
const revokeWhatTheCodeIssued = (clientId: string, issued: IssuedIds): Effect.Effect<void, Unavailable, TokenStores> =>
  Effect.all([
    denylistAccessTokens([{ jti: issued.accessJti, expiresAt: issued.accessExpiresAt }], "authorization_code_replay"),
    issued.refreshFamilyId === null
      ? Effect.void
      : revokeFamily({ clientId, familyId: issued.refreshFamilyId, presentedHash: null, reason: "authorization_code_replay", tombstone: true })
  ], { concurrency: "unbounded", discard: true })
