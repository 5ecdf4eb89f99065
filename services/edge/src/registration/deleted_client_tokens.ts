/**
 * A deleted client's tokens stop working (issue 12): after identity deleted
 * the client (admin API or RFC 7592 DELETE), the tokens service revokes its
 * refresh families and refuses its access tokens issued until now at
 * /userinfo, introspection and the admin API (tokens' revoke_client_tokens.ts).
 * `remove` runs first: a delete refused (412, a bad registration token)
 * revokes nothing. For the admin API (`revokeWhenGone`) a revocation that
 * failed after the delete is completed by the admin's retry, which revokes
 * again before answering the delete's 404; RFC 7592's caller is the client
 * itself, whose retry is refused before any lookup, so there a NotFound
 * revokes nothing (an anonymous caller cannot make the edge write for any id).
 */
import type { EdgeFailure } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"

/** Runs `remove` (the client's deletion), then revokes what the client was issued. */
export const deleteClientAndTokens = Effect.fnUntraced(function*<E extends { readonly _tag: string }>(
  clientId: string,
  remove: Effect.Effect<unknown, E, Edge>,
  revokeWhenGone: boolean
): Effect.fn.Return<void, E | EdgeFailure, Edge> {
  const { backends } = yield* Edge
  const outcome = yield* Effect.result(remove)
  if (outcome._tag === "Failure" && !(revokeWhenGone && outcome.failure._tag === "NotFound")) return yield* Effect.fail(outcome.failure)
  yield* backends.tokens.revokeClientTokens({ clientId })
  if (outcome._tag === "Failure") return yield* Effect.fail(outcome.failure)
})
