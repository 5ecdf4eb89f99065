/**
 * DPoP at `/token` (RFC 9449 §5): a valid proof binds what is issued to its
 * key; a bad one is a 400 `invalid_dpop_proof` / `use_dpop_nonce` with the
 * `DPoP-Nonce` header. Clients whose nonce is required get the current nonce
 * on every token response, so they can keep it fresh (§8.2).
 */
import type { Client, EdgeFailure } from "@authrim/contracts"
import { oauthErrorStatus } from "@authrim/contracts"
import { Effect } from "effect"
import { isFapi2Client } from "../authorize/fapi_profile.ts"
import type { Edge } from "../edge_layer.ts"
import type { RouteContext } from "../route_context.ts"
import { wireErrorJson } from "../http/oauth_json.ts"
import { checkProof, DpopRejected, presentedProof, type DpopBinding } from "./dpop_proof_check.ts"

/** The proof of a token request, verified; null when the request has none (a Bearer request). */
export const tokenEndpointDpop = Effect.fnUntraced(function*(ctx: RouteContext, request: Request, client: Client): Effect.fn.Return<DpopBinding | null, DpopRejected | EdgeFailure, Edge> {
  const proof = yield* presentedProof(request)
  if (proof === null) {
    // RFC 9449 §5.2: a client registered with dpop_bound_access_tokens must present a proof.
    if (client.dpopBoundAccessTokens === true) {
      return yield* new DpopRejected({ code: "invalid_dpop_proof", description: "this client must send a DPoP proof (dpop_bound_access_tokens)", nonce: null })
    }
    // FAPI 2.0 §5.3.2.1: tokens must be sender-constrained, and DPoP is the way on Workers.
    if (isFapi2Client(client)) {
      return yield* new DpopRejected({ code: "invalid_dpop_proof", description: "this client must send a DPoP proof (FAPI 2.0 profile)", nonce: null })
    }
    return null
  }
  return yield* checkProof(ctx, request, proof, client.clientId, null)
})

/** The 400 of a refused proof at the token endpoint (§5.2, §8). */
export const dpopTokenError = (rejected: DpopRejected): Response =>
  wireErrorJson(
    { code: rejected.code, description: rejected.description, status: oauthErrorStatus[rejected.code] },
    rejected.nonce === null ? {} : { "dpop-nonce": rejected.nonce }
  )

/** Adds `DPoP-Nonce` to a token response when the client's proofs need one. */
export const withDpopNonce = (response: Response, binding: DpopBinding | null): Response => {
  if (binding !== null && binding.nonceRequired) response.headers.set("dpop-nonce", binding.nonce)
  return response
}
