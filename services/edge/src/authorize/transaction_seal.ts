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
import { base64url, fromBase64url, joinSealed, openBytes, sealBytes, sealingKey, splitSealed } from "@authrim/platform"
import { misconfigured, type Misconfigured } from "@authrim/contracts"
import { Effect } from "effect"

/** Prefix of a sealed transaction (a stored one is a ChallengeStore id, `c<shard>_…`). */
export const SEALED_PREFIX = "t1."

/** Shortest accepted `TRANSACTION_SEAL_SECRET` (characters): 32, e.g. `openssl rand -base64 32` gives 44. */
export const MIN_TRANSACTION_SEAL_SECRET_LENGTH = 32

const encoder = new TextEncoder()
const AAD = encoder.encode("authrim-transaction:v1")
const DERIVATION = { hkdf: { salt: "", info: "authrim transaction seal v1" } }

/** The sealing key of `secret`, or `Misconfigured` naming the setting when it is unset or too short. */
export const transactionSealKey = (secret: string | undefined): Effect.Effect<CryptoKey, Misconfigured> =>
  secret === undefined || secret.trim().length < MIN_TRANSACTION_SEAL_SECRET_LENGTH
    ? Effect.fail(misconfigured("edge", "TRANSACTION_SEAL_SECRET", "is unset or shorter than 32 characters"))
    : sealingKey(secret.trim(), DERIVATION)

/** Seals `value` (JSON) into a URL-safe string. */
export const seal = (key: CryptoKey, value: unknown): Effect.Effect<string> =>
  sealBytes(key, encoder.encode(JSON.stringify(value)), AAD).pipe(Effect.map((sealed) => SEALED_PREFIX + base64url(joinSealed(sealed))))

const parseJson = (plain: Uint8Array): unknown | null => {
  try {
    return JSON.parse(new TextDecoder().decode(plain)) as unknown
  } catch {
    return null
  }
}

/** The JSON sealed in `text`, or null when it is not a value this key sealed (tampered, truncated, another key). */
export const unseal = (key: CryptoKey, text: string): Effect.Effect<unknown | null> => {
  const bytes = text.startsWith(SEALED_PREFIX) ? fromBase64url(text.slice(SEALED_PREFIX.length)) : null
  const sealed = bytes === null ? null : splitSealed(bytes)
  return sealed === null
    ? Effect.succeed(null)
    : openBytes(key, sealed, AAD).pipe(Effect.map((plain) => plain === null ? null : parseJson(plain)))
}
