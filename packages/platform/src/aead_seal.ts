/**
 * AES-256-GCM sealing of small values under a key derived from a configured
 * secret — written once for the three places that seal: the edge's sign-in
 * transactions, the tokens service's authorization codes and identity's TOTP
 * secrets at rest. Each keeps its own wire format and key derivation (changing
 * either would break values already sealed); this module holds the crypto.
 *
 * - The key is derived once per isolate and secret (a Map of promises), not per
 *   request.
 * - Every seal draws a fresh random 96-bit IV; `open` answers `null` for
 *   anything this key did not seal under this additional data (tampered,
 *   truncated, another key, another AAD) — never an exception.
 * - A failure of WebCrypto itself with a key made here is a bug, so it is a
 *   defect (`Effect.promise`), not an error the caller must handle.
 */
import { Effect } from "effect"

const encoder = new TextEncoder()

/** How the AES key comes from the secret. */
export type SealKeyDerivation =
  /** HKDF-SHA-256 over the secret's UTF-8 bytes. */
  | { readonly hkdf: { readonly salt: string; readonly info: string } }
  /** SHA-256 of `label + secret`, used as the raw key (the authorization-code key's original derivation). */
  | { readonly sha256Label: string }

/** IV length in bytes and the shortest sealed body (IV + GCM tag). */
export const SEAL_IV_BYTES = 12
export const MIN_SEALED_BYTES = SEAL_IV_BYTES + 16

/** A sealed value: its IV and the ciphertext with the GCM tag appended. */
export interface Sealed {
  readonly iv: Uint8Array
  readonly ciphertext: Uint8Array
}

/** WebCrypto's types want an ArrayBuffer-backed view; ours are, whatever their static type says. */
const view = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => bytes as Uint8Array<ArrayBuffer>

const derived = new Map<string, Promise<CryptoKey>>()

const derive = (secret: string, derivation: SealKeyDerivation): Promise<CryptoKey> => {
  if ("sha256Label" in derivation) {
    return crypto.subtle.digest("SHA-256", encoder.encode(derivation.sha256Label + secret))
      .then((raw) => crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]))
  }
  const { salt, info } = derivation.hkdf
  return crypto.subtle.importKey("raw", encoder.encode(secret), "HKDF", false, ["deriveKey"]).then((base) =>
    crypto.subtle.deriveKey(
      { name: "HKDF", hash: "SHA-256", salt: encoder.encode(salt), info: encoder.encode(info) },
      base,
      { name: "AES-GCM", length: 256 },
      false,
      ["encrypt", "decrypt"]
    ))
}

/** The AES-256-GCM key of `secret` under `derivation`, derived once per isolate. */
export const sealingKey = (secret: string, derivation: SealKeyDerivation): Effect.Effect<CryptoKey> =>
  Effect.promise(() => {
    const cacheKey = `${JSON.stringify(derivation)}\u0000${secret}`
    let key = derived.get(cacheKey)
    if (key === undefined) {
      key = derive(secret, derivation)
      derived.set(cacheKey, key)
    }
    return key
  })

/** Seals `plain` with a fresh IV, authenticating `aad` with it. */
export const sealBytes = (key: CryptoKey, plain: Uint8Array, aad: Uint8Array): Effect.Effect<Sealed> =>
  Effect.promise(async () => {
    const iv = crypto.getRandomValues(new Uint8Array(SEAL_IV_BYTES))
    const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: view(aad) }, key, view(plain)))
    return { iv, ciphertext }
  })

/** The plaintext of `sealed`, or null when this key did not seal it under `aad`. */
export const openBytes = (key: CryptoKey, sealed: Sealed, aad: Uint8Array): Effect.Effect<Uint8Array | null> =>
  Effect.promise(() =>
    crypto.subtle.decrypt({ name: "AES-GCM", iv: view(sealed.iv), additionalData: view(aad) }, key, view(sealed.ciphertext)).then(
      (plain) => new Uint8Array(plain),
      () => null
    ))

/** `iv ‖ ciphertext` in one byte string (the compact layout of the transaction seal and sealed codes). */
export const joinSealed = ({ iv, ciphertext }: Sealed): Uint8Array => {
  const out = new Uint8Array(iv.byteLength + ciphertext.byteLength)
  out.set(iv)
  out.set(ciphertext, iv.byteLength)
  return out
}

/** The inverse of `joinSealed`; null when too short to hold an IV and a tag. */
export const splitSealed = (bytes: Uint8Array): Sealed | null =>
  bytes.byteLength < MIN_SEALED_BYTES
    ? null
    : { iv: bytes.subarray(0, SEAL_IV_BYTES), ciphertext: bytes.subarray(SEAL_IV_BYTES) }
