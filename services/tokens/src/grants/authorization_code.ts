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
import { OAuthError, type CodeGrantInput, type TokenSet, type TokensContract, type Unavailable } from "@authrim/contracts"
import { Clock, Effect } from "effect"
import type { IssuedIds } from "../authorization_code_store.ts"
import { challengePattern, verifierChallenge } from "../check_pkce.ts"
import { sha256Base64url } from "../crypto_digest.ts"
import { issueTokenSet, type GrantFacts } from "../issue_tokens.ts"
import { denylistAccessTokens, revokeFamily } from "../revoke_issued.ts"
import { accessTokenTtlMs, authorizationCodeTtlMs } from "../token_lifetimes.ts"
import { codeShardOf, newAuthorizationCode, newFamilyId, newJti } from "../token_format.ts"
import { issueRefreshFamily, refreshKindOf } from "./refresh_family_issuance.ts"
import { callStore, TokenStores } from "../token_stores.ts"

type ExchangeInput = typeof TokensContract.exchangeAuthorizationCode.input.Type

const invalidGrant = (description: string) => new OAuthError({ code: "invalid_grant", description })

/** Mints a 60-second code in a random shard and stores its hash there. */
export const createAuthorizationCode = (input: CodeGrantInput): Effect.Effect<{ code: string; expiresAt: number }, OAuthError | Unavailable, TokenStores> =>
  Effect.gen(function*() {
    if (input.codeChallenge !== null && !challengePattern.test(input.codeChallenge)) {
      return yield* new OAuthError({ code: "invalid_request", description: "code_challenge must be an S256 challenge (43 base64url characters)" })
    }
    const stores = yield* TokenStores
    const now = yield* Clock.currentTimeMillis
    const { code, shard } = newAuthorizationCode()
    const codeHash = yield* sha256Base64url(code)
    const expiresAt = now + authorizationCodeTtlMs
    yield* callStore("codes.create", () => stores.codeStore(shard).create({ codeHash, grant: input, now, expiresAt }))
    return { code, expiresAt }
  })

/** The authorization_code grant. Every rejection is `invalid_grant` (the reason is in the description). */
export const exchangeAuthorizationCode = (input: ExchangeInput): Effect.Effect<TokenSet, OAuthError | Unavailable, TokenStores> =>
  Effect.gen(function*() {
    const shard = codeShardOf(input.code)
    if (shard === null) return yield* invalidGrant("unknown or expired authorization code")
    const stores = yield* TokenStores
    const challenge = yield* verifierChallenge(input.codeVerifier)
    const codeHash = yield* sha256Base64url(input.code)
    const now = yield* Clock.currentTimeMillis
    const issued: IssuedIds = {
      accessJti: newJti(),
      accessExpiresAt: now + accessTokenTtlMs,
      refreshFamilyId: input.issueRefreshToken ? newFamilyId() : null
    }
    const outcome = yield* callStore("codes.redeem", async () => stores.codeStore(shard).redeem({
      ...issued, codeHash, clientId: input.clientId, redirectUri: input.redirectUri, verifierChallenge: challenge, now
    }))
    if (outcome._tag === "replayed") {
      yield* revokeWhatTheCodeIssued(input.clientId, outcome.issued)
      return yield* invalidGrant("authorization code already used; the tokens issued from it are revoked")
    }
    if (outcome._tag === "rejected") return yield* invalidGrant(outcome.reason)
    const grant = outcome.grant
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
        grantedAt: outcome.issuedAt, now, access,
        ...(input.bindRefreshToDpop === true && input.dpopJkt !== undefined ? { dpopJkt: input.dpopJkt } : {})
      })
      refreshToken = family.refreshToken
      sid = family.sid
    }
    const facts: GrantFacts = {
      issuer: input.issuer, clientId: grant.clientId, userId: grant.userId, scope: grant.scope,
      authTime: grant.authTime, acr: grant.acr, amr: grant.amr, sid
    }
    return yield* issueTokenSet({
      facts, idTokenAlg: input.idTokenAlg, nonce: grant.nonce, accessJti: access.jti,
      accessExpiresAt: access.expiresAt, now, refreshToken, dpopJkt: input.dpopJkt
    })
  })

/** The replay rule: denylist the first redemption's access token and revoke its refresh family (even before it exists). */
const revokeWhatTheCodeIssued = (clientId: string, issued: IssuedIds): Effect.Effect<void, Unavailable, TokenStores> =>
  Effect.all([
    denylistAccessTokens([{ jti: issued.accessJti, expiresAt: issued.accessExpiresAt }], "authorization_code_replay"),
    issued.refreshFamilyId === null
      ? Effect.void
      : revokeFamily({ clientId, familyId: issued.refreshFamilyId, presentedHash: null, reason: "authorization_code_replay", tombstone: true })
  ], { concurrency: "unbounded", discard: true })
