/**
 * RFC 7009 revocation on behalf of an authenticated client. A refresh token
 * revokes its whole family (and the family's access tokens, §2.1); an access
 * token goes on the jti denylist until it would expire. A token of another
 * client, an unknown or invalid one, succeeds with no effect (§2.2).
 */
import { sha256Base64url } from "@authrim/platform"
import type { TokensContract, Unavailable } from "@authrim/contracts"
import { Effect } from "effect"
import { denylistAccessTokens, revokeFamily } from "./revoke_issued.ts"
import { familyIdOf } from "./token_format.ts"
import type { TokenStores } from "./token_stores.ts"
import { verifyAccessJwt } from "./verify_access_token.ts"
import { auditTokenRevoked } from "./token_audit.ts"
import type { AuditTrail } from "@authrim/audit-trail"

type RevokeInput = typeof TokensContract.revoke.input.Type

/** Revokes the token if it is the client's; always succeeds unless storage is unavailable. */
export const revokeToken = Effect.fnUntraced(function*(input: RevokeInput): Effect.fn.Return<{}, Unavailable, TokenStores | AuditTrail> {
  const familyId = familyIdOf(input.token)
  if (familyId !== null) {
    const presentedHash = yield* sha256Base64url(input.token)
    yield* revokeFamily({ clientId: input.clientId, familyId, presentedHash, reason: "revoked_by_client", tombstone: false })
    yield* auditTokenRevoked({ clientId: input.clientId, kind: "refresh", id: familyId, userId: null })
    return {}
  }
  const payload = yield* verifyAccessJwt(null, input.token).pipe(Effect.catchTag("OAuthError", () => Effect.succeed(null)))
  if (payload !== null && payload.client_id === input.clientId) {
    yield* denylistAccessTokens([{ jti: payload.jti, expiresAt: payload.exp * 1000 }], "revoked_by_client")
    yield* auditTokenRevoked({ clientId: input.clientId, kind: "access", id: payload.jti, userId: payload.auth_time === undefined ? null : payload.sub })
  }
  return {}
})
