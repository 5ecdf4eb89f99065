/**
 * The edge's half of DPoP (RFC 9449): find the one `DPoP` header, describe the
 * request (`htm`, the public `htu` under the issuer), and let the tokens
 * service check the proof and burn its jti. A refusal is a `DpopRejected`
 * carrying the server nonce, so every error response can send `DPoP-Nonce`.
 */
import type { EdgeFailure } from "@authrim/contracts"
import { Effect, Schema } from "effect"
import { Edge } from "../edge_layer.ts"
import type { RouteContext } from "../route_context.ts"

/** A proof the provider refused; `nonce` is the one the client should use next. */
export class DpopRejected extends Schema.TaggedError<DpopRejected>()("DpopRejected", {
  code: Schema.Literals(["invalid_dpop_proof", "use_dpop_nonce"]),
  description: Schema.String,
  nonce: Schema.NullOr(Schema.String)
}) {}

/** A verified proof: the key it binds to and the nonce to advertise. */
export interface DpopBinding {
  readonly jkt: string
  readonly nonce: string
  readonly nonceRequired: boolean
}

/** The single DPoP header, null when absent. Several (joined by commas) are refused (RFC 9449 §4.3 item 1). */
export const presentedProof = (request: Request): Effect.Effect<string | null, DpopRejected> => {
  const value = request.headers.get("dpop")
  if (value === null) return Effect.succeed(null)
  if (value.includes(",") || value.trim() === "") {
    return Effect.fail(new DpopRejected({ code: "invalid_dpop_proof", description: "send exactly one DPoP proof", nonce: null }))
  }
  return Effect.succeed(value.trim())
}

/** The request's URL as the client addressed it: under the issuer, without query or fragment. */
export const publicHtu = (ctx: RouteContext, request: Request): string => `${ctx.issuer}${new URL(request.url).pathname}`

/** Checks `proof` for this request on behalf of `clientId` (whose nonce policy applies). */
export const checkProof = Effect.fnUntraced(function*(
  ctx: RouteContext,
  request: Request,
  proof: string,
  clientId: string,
  accessToken: string | null
): Effect.fn.Return<DpopBinding, DpopRejected | EdgeFailure, Edge> {
  const { backends, dpop } = yield* Edge
  const nonceRequired = dpop.nonceRequired(clientId)
  const outcome = yield* backends.dpop.checkDpopProof({
    proof, htm: request.method, htu: publicHtu(ctx, request), accessToken, nonceRequired
  })
  if (!outcome.valid) return yield* Effect.fail(new DpopRejected({ code: outcome.error, description: outcome.description, nonce: outcome.nonce }))
  return { jkt: outcome.jkt, nonce: outcome.nonce, nonceRequired }
})
