/**
 * TOTP secrets at rest. Unlike a password, a TOTP secret cannot be hashed: the
 * server needs it to compute codes. So it is encrypted with AES-256-GCM under
 * a key derived (HKDF-SHA-256) from the `MFA_ENCRYPTION_KEY` secret var, with
 * the user id as additional data — a ciphertext copied onto another user's
 * row does not decrypt. A D1 dump or backup alone therefore yields no secret.
 *
 * Stored as `v1.<iv b64url>.<ciphertext b64url>`; the `v1` names the key
 * derivation, so a key rotation can add `v2` and re-encrypt lazily.
 */
import { base64url, fromBase64url, openBytes, sealBytes, sealingKey } from "@authrim/platform"
import { Effect } from "effect"

const VERSION = "v1"
const utf8 = (s: string) => new TextEncoder().encode(s)
/** HKDF-SHA-256 of the key material; `v1` names this derivation in every stored value. */
const DERIVATION = { hkdf: { salt: "authrim/totp-secret", info: VERSION } }

/** Encrypts a user's TOTP secret (fresh 96-bit IV each time). */
export const encryptTotpSecret = (material: string, userId: string, secret: Uint8Array): Effect.Effect<string> =>
  sealingKey(material, DERIVATION).pipe(
    Effect.flatMap((key) => sealBytes(key, secret, utf8(userId))),
    Effect.map(({ iv, ciphertext }) => `${VERSION}.${base64url(iv)}.${base64url(ciphertext)}`)
  )

/** Decrypts a stored secret; null when malformed, tampered, of another user or under another key. */
export const decryptTotpSecret = (material: string, userId: string, stored: string): Effect.Effect<Uint8Array | null> => {
  const [version, ivText, sealedText] = stored.split(".")
  const iv = fromBase64url(ivText ?? "")
  const ciphertext = fromBase64url(sealedText ?? "")
  if (version !== VERSION || iv === null || iv.byteLength !== 12 || ciphertext === null) return Effect.succeed(null)
  return sealingKey(material, DERIVATION).pipe(Effect.flatMap((key) => openBytes(key, { iv, ciphertext }, utf8(userId))))
}
