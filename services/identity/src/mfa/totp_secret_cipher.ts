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
import { requiredSetting, type Misconfigured } from "@authrim/contracts"
import { Context, Effect } from "effect"
import { serviceName } from "../identity_bindings.ts"

/** The key material for TOTP secrets (the `MFA_ENCRYPTION_KEY` secret var; there is no default). */
export class MfaEncryptionKey extends Context.Service<MfaEncryptionKey, { readonly material: string }>()(
  "@authrim/identity/MfaEncryptionKey"
) {}

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

/**
 * Provides the key material of this worker's env. `MFA_ENCRYPTION_KEY` is
 * required in every deployment (production: `wrangler secret put
 * MFA_ENCRYPTION_KEY`, ≥ 32 random bytes, e.g. `openssl rand -base64 32`;
 * development: `npm start` generates one per state folder, the test configs
 * set a fixed one). There is no key in the source: unset, every TOTP program
 * fails with `Misconfigured` before it reads or writes a secret.
 */
export const withMfaEncryptionKey = (env: { readonly MFA_ENCRYPTION_KEY?: string | undefined }) =>
  <A, E, R>(program: Effect.Effect<A, E, R>): Effect.Effect<A, E | Misconfigured, Exclude<R, MfaEncryptionKey>> =>
    requiredSetting(serviceName, "MFA_ENCRYPTION_KEY", env.MFA_ENCRYPTION_KEY).pipe(
      Effect.flatMap((material) => Effect.provideService(program, MfaEncryptionKey, { material }))
    )
