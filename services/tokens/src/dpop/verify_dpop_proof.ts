/**
 * The checks of RFC 9449 §4.3 on one proof, in its order: a JWS with
 * `typ: dpop+jwt`, an allowed asymmetric alg, a PUBLIC `jwk` that verifies the
 * signature, then the claims — `jti`, `htm`, `htu` (query and fragment
 * ignored), `iat` within the window, `ath` when an access token is presented.
 * The nonce and the one-time jti are checked by the caller (they need state or
 * configuration). Every refusal is `invalid_dpop_proof` with a reason.
 */
import { sha256Base64url } from "@authrim/platform"
import { dpopSigningAlgs } from "@authrim/contracts"
import { Effect, Schema } from "effect"
import { calculateJwkThumbprint, decodeProtectedHeader, EmbeddedJWK, jwtVerify, type JWK } from "jose"
import { dpopIatWindowMs } from "./dpop_policy.ts"

/** A verified proof: who (key thumbprint) and what the caller still has to check. */
export interface VerifiedProof {
  readonly jkt: string
  readonly jti: string
  /** Epoch ms. */
  readonly iatMs: number
  readonly nonce: string | null
}

/** Why a proof was refused (the description goes on the wire). */
export class ProofRejected extends Schema.TaggedError<ProofRejected>()("ProofRejected", {
  description: Schema.String
}) {}

const ProofClaims = Schema.Struct({
  jti: Schema.String,
  htm: Schema.String,
  htu: Schema.String,
  iat: Schema.Number,
  ath: Schema.optional(Schema.String),
  nonce: Schema.optional(Schema.String)
})
const decodeProofClaims = Schema.decodeUnknownEffect(ProofClaims)

/** Members only a private or symmetric JWK has (RFC 7517/7518). */
const privateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"] as const

/** RFC 9449 §4.3 item 9: scheme and host compared case-insensitively, default ports dropped, no query or fragment. */
export const normalisedHtu = (value: string): string | null => {
  if (!URL.canParse(value)) return null
  const url = new URL(value)
  return `${url.protocol}//${url.host}${url.pathname}`
}

const rejected = (description: string) => new ProofRejected({ description })

/** Verifies one proof against the request; `now` is epoch ms. */
export const verifyDpopProof = Effect.fnUntraced(function*(input: {
  readonly proof: string
  readonly htm: string
  readonly htu: string
  readonly accessToken: string | null
  readonly now: number
}): Effect.fn.Return<VerifiedProof, ProofRejected> {
  const header = yield* Effect.try({ try: () => decodeProtectedHeader(input.proof), catch: () => new ProofRejected({ description: "DPoP proof is not a JWS" }) })
  if (header.typ !== "dpop+jwt") return yield* rejected("DPoP proof typ must be dpop+jwt")
  if (typeof header.alg !== "string" || !dpopSigningAlgs.some((alg) => alg === header.alg)) {
    return yield* rejected("DPoP proof alg is not supported")
  }
  const jwk: JWK | undefined = header.jwk
  if (jwk === undefined || typeof jwk !== "object") return yield* rejected("DPoP proof must carry its public key as jwk")
  if (privateMembers.some((member) => Object.hasOwn(jwk, member))) return yield* rejected("DPoP proof jwk must be a public key")
  const verified = yield* Effect.tryPromise({
    try: () => jwtVerify(input.proof, EmbeddedJWK, { typ: "dpop+jwt", algorithms: [...dpopSigningAlgs], currentDate: new Date(input.now) }),
    catch: () => new ProofRejected({ description: "DPoP proof signature is invalid" })
  })
  const claims = yield* decodeProofClaims(verified.payload).pipe(
    Effect.mapError(() => new ProofRejected({ description: "DPoP proof must carry jti, htm, htu and iat" }))
  )
  if (claims.jti.length === 0 || claims.jti.length > 256) return yield* rejected("DPoP proof jti is invalid")
  if (claims.htm !== input.htm) return yield* rejected("DPoP proof htm does not match the request method")
  const htu = normalisedHtu(claims.htu)
  if (htu === null || htu !== normalisedHtu(input.htu)) return yield* rejected("DPoP proof htu does not match the request URL")
  const iatMs = claims.iat * 1000
  if (Math.abs(iatMs - input.now) > dpopIatWindowMs) return yield* rejected("DPoP proof iat is outside the accepted window")
  if (input.accessToken !== null) {
    const ath = yield* sha256Base64url(input.accessToken)
    if (claims.ath !== ath) return yield* rejected("DPoP proof ath does not match the access token")
  }
  // jose refuses a JWK it cannot hash; the signature check above already used it, so this is belt and braces.
  const jkt = yield* Effect.tryPromise({
    try: () => calculateJwkThumbprint(jwk, "sha256"),
    catch: () => new ProofRejected({ description: "DPoP proof jwk is invalid" })
  })
  return { jkt, jti: claims.jti, iatMs, nonce: claims.nonce ?? null }
})
