/**
 * The user an authorization request names, and whether a signed-in user is
 * someone else. Two ways to name one:
 * - `id_token_hint` (OIDC Core §3.1.2.1, check_id_token_hint.ts): its `sub`, or
 *   the real user behind a pairwise one.
 * - a `sub` claim requested with a `value` in the `claims` parameter's
 *   `id_token` member (OIDC Core §5.5.1: "the Authorization Server MUST only
 *   send a positive response if the End-User identified by that sub value has
 *   an active session with the Authorization Server or has been Authenticated
 *   as a result of the request"). For a pairwise client (§8.1) the value is
 *   compared with that client's pairwise `sub` of the user, which only the
 *   tokens service can compute.
 * A session of another user is then unusable for the request: the login page
 * is shown, or with `prompt=none` the answer is `login_required`; a sign-in as
 * another user ends in `login_required` too. A `sub` value that is not a
 * string names nobody, so no one can satisfy it.
 */
import type { EdgeFailure } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import { hintNamesAnotherUser } from "./check_id_token_hint.ts"
import type { ClaimsParameter } from "./claims_request.ts"
import type { PendingAuthorization } from "./pending_authorization.ts"

/** The `value` of an `id_token.sub` claim request (§5.5.1), or null when the request names no subject value. */
export const requestedSubjectValue = (claims: ClaimsParameter | null | undefined): string | number | boolean | null => {
  const sub = claims?.id_token?.["sub"]
  return sub?.value ?? null
}

/** The `sub` this client's tokens would carry for `userId`: the user id, or for a pairwise client the sector's `sub` (from tokens, which holds the secret). */
const subjectForClient = (request: PendingAuthorization, userId: string): Effect.Effect<string, EdgeFailure, Edge> => {
  const pairwiseSector = request.pairwiseSector
  if (pairwiseSector === undefined) return Effect.succeed(userId)
  return Edge.use(({ backends }) => backends.tokensLogout.pairwiseSubject({ userId, pairwiseSector }).pipe(Effect.map((subject) => subject.sub)))
}

/** True when the request names a user (`id_token_hint` or a requested `sub` value) and `userId` is someone else. */
export const requestNamesAnotherUser = Effect.fnUntraced(function*(
  request: PendingAuthorization,
  userId: string
): Effect.fn.Return<boolean, EdgeFailure, Edge> {
  if (hintNamesAnotherUser(request.idTokenHintSubject, userId)) return true
  const value = requestedSubjectValue(request.claims)
  if (value === null) return false
  return value !== (yield* subjectForClient(request, userId))
})
