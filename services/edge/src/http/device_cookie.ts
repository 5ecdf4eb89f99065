/**
 * The remembered-device cookie of password sign-in (issue 9 §4; OWASP
 * "Slow down online guessing attacks with device cookies"). After a correct
 * password the edge gives the browser a cookie naming that account; later,
 * a password attempt for the same account from that browser is exempt from
 * the account's progressive delay (`LOGIN_BACKOFF_PER_ACCOUNT`), so a flood
 * of wrong passwords from elsewhere never stops the owner's own browser.
 *
 *   __Host-authrim_device = v1.<deviceId>.<accountTag>.<expires>.<mac>
 *
 * - `deviceId`: 16 random bytes, base64url — the key of the device's own
 *   failure window (`loginFailuresPerDevice`): a cookie that fails too often
 *   stops being trusted;
 * - `accountTag`: the first 16 bytes of HMAC-SHA-256(key, "account:" + the
 *   lower-cased email), base64url — which account it vouches for, without an
 *   unsalted hash of the email in the cookie;
 * - `expires`: epoch seconds ({@link DEVICE_COOKIE_LIFETIME_SECONDS} after issue);
 * - `mac`: HMAC-SHA-256(key, "device-cookie:v1:" + the four fields above), base64url.
 *
 * The key is `DEVICE_COOKIE_SECRET` (≥ {@link MIN_DEVICE_COOKIE_SECRET_LENGTH}
 * characters, no default). One cookie per browser: signing in as another
 * account replaces it. `__Host-` makes the browser insist on Secure, Path=/
 * and no Domain, so a sibling subdomain cannot plant one.
 */
import { misconfigured, Unavailable, type Misconfigured } from "@authrim/contracts"
import { base64url, fromBase64url } from "@authrim/platform"
import { Effect } from "effect"
import { cookieHeader, DEVICE_COOKIE, readCookie } from "./cookies.ts"
import { randomToken } from "./random_token.ts"

/** How long a browser stays remembered after its last successful password sign-in: 30 days. */
export const DEVICE_COOKIE_LIFETIME_SECONDS = 30 * 24 * 60 * 60
/** Shortest accepted `DEVICE_COOKIE_SECRET` (characters): 32, e.g. `openssl rand -base64 32` gives 44. */
export const MIN_DEVICE_COOKIE_SECRET_LENGTH = 32

const utf8 = new TextEncoder()


/**
 * The HMAC key of the cookie, or null when `DEVICE_COOKIE_SECRET` is unset or too short (a configuration
 * error the login page explains). A secret WebCrypto refuses as a key is `Misconfigured` naming it.
 */
export const deviceCookieKey = (secret: string | undefined): Effect.Effect<CryptoKey | null, Misconfigured> =>
  secret === undefined || secret.length < MIN_DEVICE_COOKIE_SECRET_LENGTH
    ? Effect.succeed(null)
    : Effect.tryPromise({
      try: () => crypto.subtle.importKey("raw", utf8.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]),
      catch: () => misconfigured("edge", "DEVICE_COOKIE_SECRET", "is not usable as an HMAC-SHA-256 key")
    })

/** A WebCrypto HMAC operation that rejected (it should not with a key we imported): the edge cannot answer now. */
const hmacFailed = (operation: string) => (cause: unknown) =>
  new Unavailable({ service: "edge", reason: `device cookie HMAC ${operation}: ${cause instanceof Error ? cause.message : String(cause)}` })

const hmac = (key: CryptoKey, data: string): Effect.Effect<Uint8Array, Unavailable> =>
  Effect.tryPromise({ try: () => crypto.subtle.sign("HMAC", key, utf8.encode(data)), catch: hmacFailed("sign") }).pipe(
    Effect.map((mac) => new Uint8Array(mac))
  )

const accountTag = (key: CryptoKey, email: string): Effect.Effect<string, Unavailable> =>
  Effect.map(hmac(key, `account:${email.trim().toLowerCase()}`), (mac) => base64url(mac.slice(0, 16)))

const macInput = (deviceId: string, tag: string, expires: number) => `device-cookie:v1:${deviceId}.${tag}.${expires}`

/**
 * The device id of the request's cookie when it is genuine (MAC verifies, in
 * constant time), unexpired at `now` (epoch ms) and vouches for `email`; else null.
 */
export const rememberedDevice = Effect.fnUntraced(function*(key: CryptoKey, request: Request, email: string, now: number): Effect.fn.Return<string | null, Unavailable> {
  const value = readCookie(request, DEVICE_COOKIE)
  const parts = value?.split(".") ?? []
  if (parts.length !== 5 || parts[0] !== "v1") return null
  const [, deviceId, tag, expiresText, macText] = parts as [string, string, string, string, string]
  const expires = /^\d{1,12}$/.test(expiresText) ? Number(expiresText) : Number.NaN
  const mac = fromBase64url(macText)
  if (!/^[A-Za-z0-9_-]{22}$/.test(deviceId) || Number.isNaN(expires) || mac === null) return null
  const genuine = yield* Effect.tryPromise({
    try: () => crypto.subtle.verify("HMAC", key, mac, utf8.encode(macInput(deviceId, tag, expires))),
    catch: hmacFailed("verify")
  })
  if (!genuine || expires * 1000 <= now) return null
  return tag === (yield* accountTag(key, email)) ? deviceId : null
})

/** A fresh cookie remembering this browser for `email`, keeping `deviceId` when the browser already had one for it. */
export const deviceCookieFor = Effect.fnUntraced(function*(key: CryptoKey, email: string, deviceId: string | null, now: number): Effect.fn.Return<string, Unavailable> {
  const id = deviceId ?? randomToken(16)
  const tag = yield* accountTag(key, email)
  const expires = Math.floor(now / 1000) + DEVICE_COOKIE_LIFETIME_SECONDS
  const mac = base64url(yield* hmac(key, macInput(id, tag, expires)))
  return cookieHeader(DEVICE_COOKIE, `v1.${id}.${tag}.${expires}.${mac}`, DEVICE_COOKIE_LIFETIME_SECONDS)
})
