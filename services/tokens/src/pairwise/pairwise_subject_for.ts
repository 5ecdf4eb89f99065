/**
 * pairwiseSubject of the tokens_logout contract (issue 14): the pairwise `sub`
 * (OIDC Core §8.1) a client of one sector sees for a user. The edge asks only
 * when an authorization request of a pairwise client names a `sub` value in
 * its `claims` parameter (§5.5.1), to tell whether the signed-in user is the
 * one named; the secret itself never leaves this service.
 */
import type { Unavailable } from "@authrim/contracts"
import { Effect } from "effect"
import { TokenStores } from "../token_stores.ts"
import { pairwiseSubject } from "./pairwise_subject.ts"

/** The pairwise `sub` of `userId` in `pairwiseSector`. */
export const pairwiseSubjectFor = Effect.fnUntraced(function*(input: { readonly userId: string; readonly pairwiseSector: string }): Effect.fn.Return<{ readonly sub: string }, Unavailable, TokenStores> {
  const keys = yield* (yield* TokenStores).pairwise.keys
  return { sub: yield* pairwiseSubject(keys, input.pairwiseSector, input.userId) }
})
