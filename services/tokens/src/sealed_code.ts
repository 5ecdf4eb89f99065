/**
 * Sealed authorization codes (issue 10): the code itself carries the grant,
 * encrypted and authenticated with AES-256-GCM under `AUTHORIZATION_CODE_KEY`
 * (a tokens-only secret), so minting a code needs no storage at all. Only its
 * single use is stateful: the AuthorizationCodeStore shard named in the code
 * records a redemption (see authorization_code_store.ts).
 *
 * Wire form `ac<NN>_<base64url(iv ‖ ciphertext ‖ tag)>`: NN is the code shard
 * (not secret, bound as additional authenticated data so it cannot be swapped);
 * the 96-bit IV is random per code, so no two codes share one. Whoever does
 * not hold the key learns nothing from a code and cannot forge or alter one.
 *
 * The key: required in production (`wrangler secret put AUTHORIZATION_CODE_KEY`,
 * ≥ 32 characters of randomness); development stacks get one from
 * scripts/development_settings.ts. Changing it invalidates the codes of the
 * last 60 s (their holders see `invalid_grant` and sign in again).
 */
import { base64url, fromBase64url, joinSealed, openBytes, sealBytes, sealingKey, splitSealed } from "@authrim/platform"
import { Misconfigured, RequestedClaims, requiredSetting, Unavailable } from "@authrim/contracts"
import { Effect, Schema } from "effect"
import type { StoredGrant } from "./authorization_code_store.ts"

/** What a sealed code holds: the grant, when it was made and until when it may be redeemed (epoch ms). */
export interface SealedGrant {
  readonly grant: StoredGrant
  readonly issuedAt: number
  readonly expiresAt: number
  /** Issue 14: the resolved `claims` request (OIDC Core §5.5); only sealed codes carry one. */
  readonly requestedClaims?: RequestedClaims | undefined
  /** Issue 14: the RFC 8707 resources granted (absent: none); only sealed codes carry them. */
  readonly resources?: ReadonlyArray<string> | undefined
}

/**
 * Compact JSON of a sealed grant (short keys keep the code short; a code
 * travels in a redirect URL). Decoded only after the GCM tag verified, so this
 * schema guards against our own version skew, not against forgery.
 */
const SealedPayload = Schema.fromJsonString(Schema.Struct({
  c: Schema.String, r: Schema.String, u: Schema.String, s: Schema.String,
  p: Schema.NullOr(Schema.String), n: Schema.NullOr(Schema.String), t: Schema.Number,
  a: Schema.NullOr(Schema.String), m: Schema.Array(Schema.String), i: Schema.NullOr(Schema.String),
  x: Schema.NullOr(Schema.Number), at: Schema.Number, exp: Schema.Number,
  // Issue 14: the resolved `claims` request; absent in codes without one (and in codes sealed before it).
  q: Schema.optional(RequestedClaims),
  // Issue 14: the RFC 8707 resources granted; absent in codes without any (and in codes sealed before them).
  rs: Schema.optional(Schema.Array(Schema.String))
}))
const encodePayload = Schema.encodeSync(SealedPayload)
const decodePayload = Schema.decodeUnknownOption(SealedPayload)

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** The AES-GCM key: SHA-256 of the labelled secret, derived once per isolate (the derivation codes in flight were sealed with). */
const DERIVATION = { sha256Label: "authrim-authorization-code-v1:" }

/** The sealing key of the configured secret; a missing secret is a configuration error the caller reports. */
export const codeSealingKey = (secret: string | undefined): Effect.Effect<CryptoKey, Unavailable> =>
  requiredSetting("tokens", "AUTHORIZATION_CODE_KEY", secret).pipe(
    Effect.flatMap((configured) => sealingKey(configured, DERIVATION)),
    Effect.catchTag("Misconfigured", (e: Misconfigured) =>
      Effect.fail(new Unavailable({ service: "tokens", reason: `configuration error: ${e.setting} ${e.reason}` })))
  )

/** Seals `sealed` into the body of a code of shard `shard` (the shard is the additional data: it cannot be swapped). */
export const sealGrant = (key: CryptoKey, shard: string, sealed: SealedGrant): Effect.Effect<string> => {
  const g = sealed.grant
  const json = encodePayload({
    c: g.clientId, r: g.redirectUri, u: g.userId, s: g.scope, p: g.codeChallenge, n: g.nonce, t: g.authTime,
    a: g.acr, m: g.amr, i: g.sid, x: g.sessionExpiresAt ?? null, at: sealed.issuedAt, exp: sealed.expiresAt,
    ...(sealed.requestedClaims === undefined ? {} : { q: sealed.requestedClaims }),
    ...(sealed.resources === undefined || sealed.resources.length === 0 ? {} : { rs: sealed.resources })
  })
  return sealBytes(key, encoder.encode(json), encoder.encode(shard)).pipe(Effect.map((box) => base64url(joinSealed(box))))
}

const grantOf = (plain: Uint8Array): SealedGrant | null => {
  const payload = decodePayload(decoder.decode(plain))
  if (payload._tag === "None") return null
  const p = payload.value
  return {
    grant: {
      clientId: p.c, redirectUri: p.r, userId: p.u, scope: p.s, codeChallenge: p.p, nonce: p.n, authTime: p.t,
      acr: p.a, amr: p.m, sid: p.i, sessionExpiresAt: p.x
    },
    issuedAt: p.at,
    expiresAt: p.exp,
    ...(p.q === undefined ? {} : { requestedClaims: p.q }),
    ...(p.rs === undefined ? {} : { resources: p.rs })
  }
}

/** The grant sealed in a code body of shard `shard`, or null when it was not sealed by this key (forged, altered, other key). */
export const unsealGrant = (key: CryptoKey, shard: string, body: string): Effect.Effect<SealedGrant | null> => {
  const bytes = fromBase64url(body)
  const box = bytes === null ? null : splitSealed(bytes)
  return box === null
    ? Effect.succeed(null)
    : openBytes(key, box, encoder.encode(shard)).pipe(Effect.map((plain) => plain === null ? null : grantOf(plain)))
}
