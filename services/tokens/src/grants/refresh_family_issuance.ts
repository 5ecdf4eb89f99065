/**
 * Whether a grant gets a refresh token, and issuing it (issue 9 §2).
 *
 * - Offline: `offline_access` is in the granted scope (OIDC Core §11). The
 *   edge puts it in a code's scope only when the user consented to it — on the
 *   consent page of this request, or by a remembered consent that named it — or
 *   when the client is first-party (`skipConsent`); see
 *   services/edge/src/authorize/consent_requirement.ts. The family lives 30 days
 *   and survives the end of its session (it then stops carrying `sid`).
 * - Online: the client is configured for online refresh tokens
 *   (`online_refresh_tokens`) and the grant names a live session. The family is
 *   bound to that session: it expires with it and is revoked when it ends.
 * - Otherwise none — also for clients registered for the refresh_token grant.
 *
 * The family is registered in the user's RefreshFamilyIndex shard BEFORE it is
 * created in its rotator, so a concurrent "revoke all" either lists it (and
 * revokes it, possibly as a tombstone the creation then meets) or refuses the
 * registration. Either way the grant then answers `invalid_grant`: no token of
 * a revoked family is ever handed out.
 */
import { sha256Base64url } from "@authrim/platform"
import { OAuthError, type RequestedClaims, type Unavailable } from "@authrim/contracts"
import { Effect } from "effect"
import type { IssuedAccess } from "../refresh_token_rotator.ts"
import { familyIndexShardName, refreshShardName } from "../shard_routing.ts"
import { configuredLifetimes } from "../token_lifetimes.ts"
import { newRefreshToken } from "../token_format.ts"
import { callStore, TokenStores } from "../token_stores.ts"

/** The kind of refresh token a grant gets, or null for none. */
export type RefreshKind = { readonly _tag: "offline" } | { readonly _tag: "online"; readonly notAfter: number }

/** OIDC Core §11 scope value asking for a refresh token usable while the user is away. */
export const OFFLINE_ACCESS = "offline_access"

/** The rule above, as a pure function of the client's options and the grant. */
export const refreshKindOf = (input: {
  readonly issueRefreshToken: boolean
  readonly onlineRefreshTokens?: boolean | undefined
  readonly scope: string
  readonly sid: string | null
  readonly sessionExpiresAt?: number | null | undefined
  readonly now: number
}): RefreshKind | null => {
  if (!input.issueRefreshToken) return null
  if (input.scope.split(" ").includes(OFFLINE_ACCESS)) return { _tag: "offline" }
  const sessionEnd = input.sessionExpiresAt ?? null
  if (input.onlineRefreshTokens === true && input.sid !== null && sessionEnd !== null && sessionEnd > input.now) {
    return { _tag: "online", notAfter: sessionEnd }
  }
  return null
}

/** What the family is created from. `grantedAt`: when the code was made or the device code approved. */
export interface NewFamily {
  readonly kind: RefreshKind
  readonly familyId: string
  readonly clientId: string
  readonly userId: string
  readonly scope: string
  readonly authTime: number
  readonly sid: string | null
  readonly sessionExpiresAt: number | null
  readonly amr: ReadonlyArray<string>
  readonly acr: string | null
  readonly grantedAt: number
  readonly now: number
  readonly access: IssuedAccess
  readonly dpopJkt?: string | undefined
  /** Issue 14: the grant's resolved `claims` request, kept so refreshed tokens carry it too. */
  readonly requestedClaims?: RequestedClaims | undefined
  /** Issue 14: the RFC 8707 resources granted, kept so each refresh may name (a subset of) them again. */
  readonly resources?: ReadonlyArray<string> | undefined
}

const refused = (reason: string) => new OAuthError({ code: "invalid_grant", description: reason })

/** Registers, then creates the family; answers its first refresh token and the `sid` it carries. */
export const issueRefreshFamily = Effect.fnUntraced(function*(input: NewFamily): Effect.fn.Return<{ readonly refreshToken: string; readonly sid: string | null }, OAuthError | Unavailable, TokenStores> {
  const stores = yield* TokenStores
  const offline = input.kind._tag === "offline"
  const expiresAt = Math.min(input.now + (yield* configuredLifetimes).refreshFamilyTtlMs, input.kind._tag === "online" ? input.kind.notAfter : Number.MAX_SAFE_INTEGER)
  const registration = yield* callStore("familyIndex.register", async () => stores.familyIndex(familyIndexShardName(input.userId)).register({
    userId: input.userId, familyId: input.familyId, clientId: input.clientId, sid: input.sid, offline, expiresAt,
    grantedAt: input.grantedAt, authTime: input.authTime, now: input.now
  }))
  if (registration._tag === "refused") return yield* refused(registration.reason)
  const refreshToken = newRefreshToken(input.familyId)
  const tokenHash = yield* sha256Base64url(refreshToken)
  const created = yield* callStore("refresh.create", () => stores.refreshRotator(refreshShardName(input.clientId, input.familyId)).create({
    familyId: input.familyId, tokenHash, clientId: input.clientId, userId: input.userId, scope: input.scope,
    authTime: input.authTime, sid: registration.sid, amr: input.amr, acr: input.acr, now: input.now, access: input.access,
    ...(input.dpopJkt === undefined ? {} : { dpopJkt: input.dpopJkt }),
    ...(input.requestedClaims === undefined ? {} : { requestedClaimsJson: JSON.stringify(input.requestedClaims) }),
    ...(input.resources === undefined || input.resources.length === 0 ? {} : { resourcesJson: JSON.stringify(input.resources) }),
    // The family ends at the configured lifetime (or with its session, online): the rotator keeps the earlier bound.
    notAfter: expiresAt,
    ...(registration.sid !== null && input.sessionExpiresAt !== null ? { sidExpiresAt: input.sessionExpiresAt } : {})
  }))
  // Revoked before it was created (code replay, revoke all, its session ended): no token of it is handed out.
  if (created.revoked) return yield* refused("the refresh token was revoked as it was issued; sign in again")
  return { refreshToken, sid: registration.sid }
})
