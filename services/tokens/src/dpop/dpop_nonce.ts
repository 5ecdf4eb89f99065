/**
 * Stateless server nonces (RFC 9449 §8): `<bucket>.<mac>` where bucket is the
 * 5-minute time bucket (base 36) and mac = HMAC-SHA256(secret, bucket), first
 * 16 bytes, base64url. Nothing is stored; a nonce of the current or the
 * previous bucket is accepted. The secret is `DPOP_NONCE_SECRET`: required in
 * production (`wrangler secret put`; without it proof checking is a
 * configuration error, never a random per-isolate secret whose nonces fail in
 * every other isolate). Only `AUTHRIM_ENV=development` (local runs, tests)
 * falls back to one random secret per isolate.
 */
import { base64url, timingSafeEqual } from "@authrim/platform"
import { Unavailable, type DeploymentVars, type Misconfigured } from "@authrim/contracts"
import { Effect } from "effect"
import { dpopNonceBucketMs } from "./dpop_policy.ts"
import { secretSetting } from "../secret_setting.ts"

const encoder = new TextEncoder()
/** The configured secret; in development only, else one random secret for the life of this isolate (secret_setting.ts). */
export const nonceSecret = (env: DeploymentVars & { readonly DPOP_NONCE_SECRET?: string | undefined }): Effect.Effect<string, Misconfigured> =>
  secretSetting(env, "DPOP_NONCE_SECRET", env.DPOP_NONCE_SECRET)

/** WebCrypto refusing an HMAC step (it should not with a string secret): the proof check answers 503, never a false verdict. */
const nonceFault = (step: string, cause: unknown) =>
  new Unavailable({ service: "tokens", reason: `DPoP nonce ${step}: ${cause instanceof Error ? cause.message : String(cause)}` })

/** The HMAC key of the last secret used, imported once per isolate (the secret is fixed per deployment). */
let macKey: { readonly secret: string; readonly key: CryptoKey } | null = null

const macKeyOf = (secret: string): Effect.Effect<CryptoKey, Unavailable> =>
  macKey !== null && macKey.secret === secret
    ? Effect.succeed(macKey.key)
    : Effect.tryPromise({
      try: () => crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]),
      catch: (cause) => nonceFault("importKey", cause)
    }).pipe(Effect.tap((key) => Effect.sync(() => {
      macKey = { secret, key }
    })))

const macOf = Effect.fnUntraced(function*(secret: string, bucket: number): Effect.fn.Return<string, Unavailable> {
  const key = yield* macKeyOf(secret)
  const mac = yield* Effect.tryPromise({
    try: () => crypto.subtle.sign("HMAC", key, encoder.encode(`authrim-dpop-nonce:${bucket}`)),
    catch: (cause) => nonceFault("sign", cause)
  })
  return base64url(new Uint8Array(mac).slice(0, 16))
})

const bucketOf = (now: number): number => Math.floor(now / dpopNonceBucketMs)

/** The nonce of the current bucket. */
export const currentNonce = (secret: string, now: number): Effect.Effect<string, Unavailable> => {
  const bucket = bucketOf(now)
  return macOf(secret, bucket).pipe(Effect.map((mac) => `${bucket.toString(36)}.${mac}`))
}

/** True when `nonce` was minted with `secret` in the current or the previous bucket. */
export const isCurrentNonce = Effect.fnUntraced(function*(secret: string, nonce: string, now: number): Effect.fn.Return<boolean, Unavailable> {
  const match = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{22})$/.exec(nonce)
  if (match === null) return false
  const bucket = parseInt(match[1]!, 36)
  const current = bucketOf(now)
  if (bucket !== current && bucket !== current - 1) return false
  return timingSafeEqual(yield* macOf(secret, bucket), match[2]!)
})
