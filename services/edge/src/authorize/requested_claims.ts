/**
 * Resolves an OIDC Core §5.5 `claims` request for the tokens (issue 14):
 * the `id_token` member's user claims are read from identity now (one
 * `getUserClaims` call, only when the member names any) and travel sealed in
 * the authorization code; the `userinfo` member's names travel in the access
 * token (`authrim_userinfo_claims`) for `/userinfo` to release. A claim is
 * released only when the user has it, whatever the scope. Protocol claims
 * (`sub`, `acr`, `auth_time`…) are the tokens' own, never taken from here
 * (`acr` is handled by authentication_context.ts). `value`/`values` of a
 * user claim are not enforced: the stored value is released as it is.
 */
import type { EdgeFailure, RequestedClaims } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import type { ClaimRequests, ClaimsParameter } from "./claims_request.ts"

/** Claims the tokens set themselves: a claims request never supplies them. */
const PROTOCOL_CLAIMS = new Set([
  "iss", "sub", "aud", "exp", "iat", "nbf", "jti", "auth_time", "nonce", "acr", "amr", "azp", "sid", "at_hash", "c_hash",
  "client_id", "scope", "cnf", "events", "authrim_userinfo_claims"
])

/** The scopes whose mappings hold every user claim (OIDC Core §5.4, plus `roles`): read to find a requested claim. */
export const CLAIM_SCOPES = ["profile", "email", "address", "phone", "roles"]

/** User-claim names a member asks for. */
export const userClaimNames = (member: ClaimRequests | undefined): ReadonlyArray<string> =>
  Object.keys(member ?? {}).filter((name) => !PROTOCOL_CLAIMS.has(name))

/** `claims` picked from `all` (only those the user has). */
export const pickClaims = (all: Readonly<Record<string, unknown>>, names: ReadonlyArray<string>): Record<string, unknown> => {
  const picked: Record<string, unknown> = {}
  for (const name of names) {
    if (Object.hasOwn(all, name) && all[name] !== undefined && all[name] !== null) picked[name] = all[name]
  }
  return picked
}

/** What the code carries for `claims` (undefined: nothing requested). */
export const resolveRequestedClaims = Effect.fnUntraced(function*(
  userId: string,
  claims: ClaimsParameter | undefined
): Effect.fn.Return<RequestedClaims | undefined, EdgeFailure, Edge> {
  const idTokenNames = userClaimNames(claims?.id_token)
  const userinfoNames = userClaimNames(claims?.userinfo)
  if (idTokenNames.length === 0 && userinfoNames.length === 0) return undefined
  const { backends } = yield* Edge
  const idToken = idTokenNames.length === 0
    ? {}
    : pickClaims(yield* backends.identity.getUserClaims({ userId, scopes: CLAIM_SCOPES }), idTokenNames)
  return {
    ...(Object.keys(idToken).length === 0 ? {} : { idToken }),
    ...(userinfoNames.length === 0 ? {} : { userinfo: userinfoNames })
  }
})
