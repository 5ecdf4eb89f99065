/**
 * Sealing of pending sign-in transactions (issue 10): the login/consent state
 * travels in the page (`tx` of the URL and the form) encrypted and
 * authenticated with AES-256-GCM, instead of a ChallengeStore round trip per
 * page. Format `t1.<base64url(iv ‖ ciphertext ‖ tag)>`, 12-byte random iv.
 *
 * The key is derived (HKDF-SHA-256, info `authrim transaction seal v1`) from
 * the edge secret `TRANSACTION_SEAL_SECRET` (≥ 32 characters): required, no
 * default in the source — unset, a sign-in answers the configuration-error
 * page naming it. The browser can neither read nor alter what is sealed (GCM
 * tag); rotating the secret only makes the sign-ins open at that moment start
 * again. What stops a replay of a sealed value is not the seal: it is bound to
 * the browser's CSRF cookie (see `csrf.ts`), carries its own expiry, and its
 * last step is taken once in the ChallengeStore (`identity.finishTransaction`).
 */
import { base64url, fromBase64url } from "@authrim/platform"
import { misconfigured, type Misconfigured } from "@authrim/contracts"
import { Effect } from "effect"

/** Prefix of a sealed transaction (a stored one is a ChallengeStore id, `c<shard>_…`). */
export const SEALED_PREFIX = "t1."

/** Shortest accepted `TRANSACTION_SEAL_SECRET` (characters): 32, e.g. `openssl rand -base64 32` gives 44. */
export const MIN_TRANSACTION_SEAL_SECRET_LENGTH = 32

const encoder = new TextEncoder()
const AAD = encoder.encode("authrim-transaction:v1")

/** Derived keys by secret, per isolate: the derivation runs once, not per request. */
const keys = new Map<string, Promise<CryptoKey>>()

const deriveKey = (secret: string): Promise<CryptoKey> => {
  let key = keys.get(secret)
  if (key === undefined) {
    key = crypto.subtle.importKey("raw", encoder.encode(secret), "HKDF", false, ["deriveKey"]).then((base) =>
      crypto.subtle.deriveKey(
        { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: encoder.encode("authrim transaction seal v1") },
        base,
        { name: "AES-GCM", length: 256 },
        false,
        ["encrypt", "decrypt"]
      ))
    keys.set(secret, key)
  }
  return key
}

/** The sealing key of `secret`, or `Misconfigured` naming the setting when it is unset or too short. */
export const transactionSealKey = (secret: string | undefined): Effect.Effect<CryptoKey, Misconfigured> =>
  secret === undefined || secret.trim().length < MIN_TRANSACTION_SEAL_SECRET_LENGTH
    ? Effect.fail(misconfigured("edge", "TRANSACTION_SEAL_SECRET", "is unset or shorter than 32 characters"))
    : Effect.promise(() => deriveKey(secret.trim()))

/** Seals `value` (JSON) into a URL-safe string. */
export const seal = (key: CryptoKey, value: unknown): Effect.Effect<string> =>
  Effect.promise(async () => {
    const iv = crypto.getRandomValues(new Uint8Array(12))
    const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: AAD }, key, encoder.encode(JSON.stringify(value))))
    const out = new Uint8Array(iv.byteLength + sealed.byteLength)
    out.set(iv)
    out.set(sealed, iv.byteLength)
    return SEALED_PREFIX + base64url(out)
  })

/** The JSON sealed in `text`, or null when it is not a value this key sealed (tampered, truncated, another key). */
export const unseal = (key: CryptoKey, text: string): Effect.Effect<unknown | null> =>
  Effect.promise(async () => {
    if (!text.startsWith(SEALED_PREFIX)) return null
    try {
      const bytes = fromBase64url(text.slice(SEALED_PREFIX.length))
      if (bytes === null || bytes.byteLength < 12 + 16) return null
      const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: bytes.slice(0, 12), additionalData: AAD }, key, bytes.slice(12))
      return JSON.parse(new TextDecoder().decode(plain)) as unknown
    } catch {
      return null
    }
  })
