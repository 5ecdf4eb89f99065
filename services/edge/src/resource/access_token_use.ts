/**
 * What the edge cannot decide about a verified access token: whether it was
 * revoked (and, for a DPoP-bound token, whether the proof holds — the same
 * call). One tokens RPC, one TokenRevocationStore read (+ the DPoP jti store).
 */
import type { AccessTokenUse, DpopProofRequest, EdgeFailure } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"

/**
 * The token's use as the tokens service sees it; null when the tokens worker
 * predates `checkAccessTokenUse` (any transport failure of the call counts as
 * that): the caller then takes the older path, `verifyAccessToken`.
 */
/** `issued`: the token's `client_id` and `iat` — a token of a client deleted since is revoked too (issue 12). */
export const accessTokenUse = (
  jti: string,
  dpop: DpopProofRequest | null,
  issued?: { readonly client_id: string; readonly iat: number }
): Effect.Effect<AccessTokenUse | null, Exclude<EdgeFailure, { readonly _tag: "RpcFailure" }>, Edge> =>
  Edge.use(({ backends }) =>
    backends.tokens.checkAccessTokenUse({
      jti,
      ...(dpop === null ? {} : { dpop }),
      ...(issued === undefined ? {} : { clientId: issued.client_id, issuedAt: issued.iat })
    }).pipe(
      Effect.catchTag("RpcFailure", () => Effect.succeed(null))
    ))