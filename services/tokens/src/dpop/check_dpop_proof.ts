/**
 * checkDpopProof of the contract: the proof checks, then the server nonce
 * (when required, or whenever the proof carries one), then the one-time jti —
 * last, so a proof refused for another reason does not burn its jti.
 */
import type { DpopProofOutcome, DpopProofRequest, Misconfigured, Unavailable } from "@authrim/contracts"
import { Clock, Effect } from "effect"
import { callStore } from "../token_stores.ts"
import { currentNonce, isCurrentNonce } from "./dpop_nonce.ts"
import { dpopIatWindowMs } from "./dpop_policy.ts"
import { dpopJtiShardName } from "./dpop_shard.ts"
import { DpopStores } from "./dpop_stores.ts"
import { verifyDpopProof } from "./verify_dpop_proof.ts"

/** Checks one proof and accepts its jti once. */
export const checkDpopProof = Effect.fnUntraced(function*(input: DpopProofRequest): Effect.fn.Return<DpopProofOutcome, Unavailable | Misconfigured, DpopStores> {
  const stores = yield* DpopStores
  const secret = yield* stores.nonceSecret
  const now = yield* Clock.currentTimeMillis
  const nonce = yield* currentNonce(secret, now)
  const invalid = (error: "invalid_dpop_proof" | "use_dpop_nonce", description: string): DpopProofOutcome =>
    ({ valid: false, error, description, nonce })
  const verified = yield* Effect.result(verifyDpopProof({ ...input, now }))
  if (verified._tag === "Failure") return invalid("invalid_dpop_proof", verified.failure.description)
  const proof = verified.success
  if (proof.nonce === null && input.nonceRequired) return invalid("use_dpop_nonce", "a DPoP nonce is required")
  if (proof.nonce !== null && !(yield* isCurrentNonce(secret, proof.nonce, now))) {
    return invalid("use_dpop_nonce", "the DPoP nonce is not current")
  }
  const accepted = yield* callStore("dpop.acceptJti", () => stores.jtiStore(dpopJtiShardName(proof.jkt)).accept({
    // +1 ms: at exactly iat + window the proof still passes the window check, so the row must outlive that instant.
    jkt: proof.jkt, jti: proof.jti, now, expiresAt: proof.iatMs + dpopIatWindowMs + 1
  }))
  if (!accepted) return invalid("invalid_dpop_proof", "DPoP proof jti was already used")
  return { valid: true, jkt: proof.jkt, nonce }
})
