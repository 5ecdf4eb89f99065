/**
 * `id_token_hint` at the authorization endpoint (OIDC Core §3.1.2.1): an ID
 * token this provider issued earlier, naming the user the RP expects. It is
 * verified by the tokens service (signature against the provider's own keys,
 * `iss`; an expired one is still a good hint). The hint never signs anyone
 * in: it only makes a session of a *different* user unusable for this
 * request — the login page is shown, or with `prompt=none` the answer is
 * `login_required` ("If the End-User identified by the ID Token is logged in
 * or is logged in by the request, then the Authorization Server returns a
 * positive response; otherwise, it SHOULD return an error, such as
 * login_required"). A hint that does not verify is `invalid_request`.
 */
import type { EdgeFailure } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import type { RouteContext } from "../route_context.ts"

/**
 * The user a verified `id_token_hint` names, or null when the request has none: its `sub`, or for a
 * pairwise client's ID token (OIDC Core §8.1) the real user the tokens service opened from it.
 */
export const idTokenHintSubject = (ctx: RouteContext, search: URLSearchParams): Effect.Effect<string | null, EdgeFailure, Edge> => {
  const hint = search.get("id_token_hint")
  if (hint === null || hint === "") return Effect.succeed(null)
  return Edge.use(({ backends }) => backends.tokensLogout.verifyIdTokenHint({ issuer: ctx.issuer, idToken: hint }).pipe(Effect.map((verified) => verified.userId ?? verified.sub)))
}

/** True when the request names a user (`id_token_hint`) and `userId` is someone else. */
export const hintNamesAnotherUser = (hintSubject: string | null | undefined, userId: string): boolean =>
  hintSubject !== null && hintSubject !== undefined && hintSubject !== userId
