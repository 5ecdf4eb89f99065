/**
 * DPoP at the protected resource (`/userinfo`, RFC 9449 §7): a DPoP-bound
 * token (`cnf.jkt`) is accepted only under the `DPoP` scheme, with a valid
 * proof (ath = hash of the token) made with the bound key. Used as a Bearer
 * token, or without a proof, it is refused — a stolen token alone is useless.
 * An unbound token under the DPoP scheme is refused too: the client asked for
 * a sender constraint the token does not have.
 *
 * Two halves around one tokens call: `proofToCheck` does what the edge can
 * decide alone and names the proof to check; `acceptProofOutcome` judges the
 * tokens service's answer (which also said whether the token is revoked,
 * resource/access_token_use.ts).
 */
import { dpopSigningAlgs, type AccessTokenClaims, type DpopProofOutcome, type DpopProofRequest, type EdgeFailure } from "@authrim/contracts"
import { Effect, Schema } from "effect"
import { Edge } from "../edge_layer.ts"
import type { RouteContext } from "../route_context.ts"
import { noStoreJson } from "../http/oauth_json.ts"
import { checkProof, presentedProof, publicHtu } from "./dpop_proof_check.ts"

/** The authorization scheme the token came with (a form-body token counts as Bearer). */
export type TokenScheme = "Bearer" | "DPoP"

/** A refusal of the resource because of the binding; always 401 with a DPoP challenge (§7.1). */
export class ResourceDpopFailure extends Schema.TaggedError<ResourceDpopFailure>()("ResourceDpopFailure", {
  code: Schema.Literals(["invalid_token", "invalid_dpop_proof", "use_dpop_nonce"]),
  description: Schema.String,
  nonce: Schema.NullOr(Schema.String)
}) {}

const refuse = (code: ResourceDpopFailure["code"], description: string, nonce: string | null = null) =>
  Effect.fail(new ResourceDpopFailure({ code, description, nonce }))

/**
 * The scheme/binding rules the edge checks alone; then the proof the tokens
 * service must check for a bound token, or null for an unbound Bearer token.
 */
export const proofToCheck = Effect.fnUntraced(function*(
  ctx: RouteContext,
  request: Request,
  scheme: TokenScheme,
  accessToken: string,
  claims: AccessTokenClaims
): Effect.fn.Return<DpopProofRequest | null, ResourceDpopFailure, Edge> {
  if (claims.jkt === undefined) {
    return scheme === "DPoP" ? yield* refuse("invalid_token", "the access token is not DPoP-bound; use the Bearer scheme") : null
  }
  if (scheme !== "DPoP") return yield* refuse("invalid_token", "the access token is DPoP-bound; present it with the DPoP scheme and a proof")
  const proof = yield* presentedProof(request).pipe(Effect.mapError((r) => new ResourceDpopFailure({ code: r.code, description: r.description, nonce: r.nonce })))
  if (proof === null) return yield* refuse("invalid_token", "a DPoP proof is required with a DPoP-bound access token")
  const { dpop } = yield* Edge
  const nonceRequired = dpop.nonceRequired(claims.clientId)
  return { proof, htm: request.method, htu: publicHtu(ctx, request), accessToken, nonceRequired }
})

/** The tokens service's verdict on the proof, and the proof's key against the token's binding. */
export const acceptProofOutcome = (outcome: DpopProofOutcome, claims: AccessTokenClaims): Effect.Effect<void, ResourceDpopFailure> => {
  if (!outcome.valid) return refuse(outcome.error, outcome.description, outcome.nonce)
  if (outcome.jkt !== claims.jkt) return refuse("invalid_dpop_proof", "the DPoP proof key is not the key the access token is bound to")
  return Effect.void
}

/**
 * Enforces the token's DPoP binding (or its absence) with its own proof call:
 * the path against a tokens worker older than `checkAccessTokenUse`.
 */
export const enforceSenderConstraint = Effect.fnUntraced(function*(
  ctx: RouteContext,
  request: Request,
  scheme: TokenScheme,
  accessToken: string,
  claims: AccessTokenClaims
): Effect.fn.Return<void, ResourceDpopFailure | EdgeFailure, Edge> {
  const toCheck = yield* proofToCheck(ctx, request, scheme, accessToken, claims)
  if (toCheck === null) return
  const binding = yield* checkProof(ctx, request, toCheck.proof, claims.clientId, accessToken).pipe(
    Effect.catchTag("DpopRejected", (r) => refuse(r.code, r.description, r.nonce))
  )
  if (binding.jkt !== claims.jkt) return yield* refuse("invalid_dpop_proof", "the DPoP proof key is not the key the access token is bound to")
})

/** 401 with `WWW-Authenticate: DPoP …` (and `DPoP-Nonce` when the client must use one). */
export const resourceDpopError = (failure: ResourceDpopFailure): Response => {
  const description = failure.description.replace(/["\\]/g, "")
  const challenge = `DPoP realm="authrim", error="${failure.code}", error_description="${description}", algs="${dpopSigningAlgs.join(" ")}"`
  return noStoreJson({ error: failure.code, error_description: failure.description }, 401, {
    "www-authenticate": challenge,
    ...(failure.nonce === null ? {} : { "dpop-nonce": failure.nonce })
  })
}
