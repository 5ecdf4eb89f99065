/**
 * The reuse grace window of refresh rotation (issue 14): for a short time
 * after a rotation, the token it rotated out may be presented again, and the
 * answer is the SAME successor with a fresh access token — an idempotent
 * replay of the rotation, so a client that retried (or raced itself) keeps its
 * family. Reuse outside the window, or after the successor was itself used,
 * still revokes the family (refresh_family.ts `classifyPrevious`).
 *
 * Only token hashes are stored, so the successor must be reproducible: it is
 * `rt_<familyId>.<HMAC-SHA256(REFRESH_SUCCESSOR_SECRET, label ‖ presented token)>`
 * (32 bytes, base64url — the shape of a random one). Without the secret nobody
 * can compute a successor from a stolen token.
 *
 * Settings of the tokens worker:
 * - `REFRESH_REUSE_GRACE_SECONDS`: whole seconds, 0..60; unset, blank or not a
 *   whole number: 10; above 60: 60. `0` turns the window off (every reuse
 *   revokes, successors are random again, and the secret is not needed).
 * - `REFRESH_SUCCESSOR_SECRET` (a secret): required in production while the
 *   window is on — unset, every refresh is a 503 configuration error (fail
 *   closed: no random per-isolate secret whose successors other isolates could
 *   not reproduce). Only `AUTHRIM_ENV=development` falls back to one random
 *   secret per isolate.
 */
import { base64url } from "@authrim/platform"
import { settingValue, Unavailable, type DeploymentVars } from "@authrim/contracts"
import { Effect } from "effect"
import { requiredSecret } from "./secret_setting.ts"

/** Default window (seconds) when the setting is unset or unreadable. */
export const DEFAULT_REFRESH_GRACE_SECONDS = 10
/** Upper bound (seconds): a longer window would let a stolen token ride along with its owner for too long. */
export const MAX_REFRESH_GRACE_SECONDS = 60

/** What the refresh grant needs to replay a rotation. */
export interface RefreshGrace {
  /** The window in ms; 0: off. */
  readonly windowMs: number
  /** The HMAC key deriving successors; `Unavailable` when the secret is missing outside development. */
  readonly successorKey: Effect.Effect<CryptoKey, Unavailable>
}

/** `REFRESH_REUSE_GRACE_SECONDS` in ms: a bounded parse, never NaN, never negative, never above the maximum. */
export const refreshGraceMsFrom = (configured: string | undefined): number => {
  const value = settingValue(configured)
  if (value === undefined || !/^\d{1,6}$/.test(value)) return DEFAULT_REFRESH_GRACE_SECONDS * 1000
  return Math.min(Number(value), MAX_REFRESH_GRACE_SECONDS) * 1000
}

const encoder = new TextEncoder()
/** Domain separation of the successor MAC (a version, so a future derivation cannot collide with this one). */
const LABEL = "authrim-refresh-successor-v1:"

let keyCache: { readonly secret: string; readonly key: CryptoKey } | null = null

const graceFault = (reason: string) => new Unavailable({ service: "tokens", reason })

/** The configured secret; in development only, else one random secret for the life of this isolate (secret_setting.ts). */
export const successorSecret = (env: DeploymentVars & { readonly REFRESH_SUCCESSOR_SECRET?: string | undefined }): Effect.Effect<string, Unavailable> =>
  requiredSecret(env, "REFRESH_SUCCESSOR_SECRET", env.REFRESH_SUCCESSOR_SECRET)

/** The HMAC key of `secret`, imported once per isolate (the secret is fixed per deployment). */
const macKeyOf = (secret: string): Effect.Effect<CryptoKey, Unavailable> =>
  keyCache !== null && keyCache.secret === secret
    ? Effect.succeed(keyCache.key)
    : Effect.tryPromise({
      try: () => crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]),
      catch: (cause) => graceFault(`refresh successor key: ${cause instanceof Error ? cause.message : String(cause)}`)
    }).pipe(Effect.tap((key) => Effect.sync(() => {
      keyCache = { secret, key }
    })))

/** The grace settings of a worker env. Nothing fails here: a missing secret fails only the refreshes that need it. */
export const refreshGraceOf = (env: DeploymentVars & {
  readonly REFRESH_REUSE_GRACE_SECONDS?: string | undefined
  readonly REFRESH_SUCCESSOR_SECRET?: string | undefined
}): RefreshGrace => ({
  windowMs: refreshGraceMsFrom(env.REFRESH_REUSE_GRACE_SECONDS),
  successorKey: Effect.suspend(() => successorSecret(env)).pipe(Effect.flatMap(macKeyOf))
})

/** The one successor of `presented` (a refresh token of `familyId`): the same string every time it is asked. */
export const successorToken = Effect.fnUntraced(function*(key: CryptoKey, familyId: string, presented: string): Effect.fn.Return<string, Unavailable> {
  const mac = yield* Effect.tryPromise({
    try: () => crypto.subtle.sign("HMAC", key, encoder.encode(`${LABEL}${presented}`)),
    catch: (cause) => graceFault(`refresh successor: ${cause instanceof Error ? cause.message : String(cause)}`)
  })
  return `rt_${familyId}.${base64url(new Uint8Array(mac))}`
})
