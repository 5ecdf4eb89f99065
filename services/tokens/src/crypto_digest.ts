/**
 * Digests, random values and comparison for secrets. Codes and refresh tokens
 * are stored only as SHA-256 hashes (base64url); comparisons of secret-derived
 * values are constant time.
 */
import { Effect } from "effect"

const encoder = new TextEncoder()

/** Base64url without padding (RFC 4648 §5), as used by JOSE and PKCE. */
export const base64url = (bytes: Uint8Array): string => {
  let binary = ""
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "")
}

/** `n` bytes from the platform CSPRNG, base64url encoded. */
export const randomBase64url = (n: number): string => base64url(crypto.getRandomValues(new Uint8Array(n)))

/** Raw SHA-256 of a UTF-8 string. */
export const sha256Bytes = (value: string): Effect.Effect<Uint8Array> =>
  Effect.promise(() => crypto.subtle.digest("SHA-256", encoder.encode(value))).pipe(
    Effect.map((digest) => new Uint8Array(digest))
  )

/** BASE64URL(SHA-256(value)): the at-rest form of codes and refresh tokens, and the PKCE S256 transform. */
export const sha256Base64url = (value: string): Effect.Effect<string> => sha256Bytes(value).pipe(Effect.map(base64url))

/**
 * Constant-time string equality: the time depends only on the lengths, never
 * on where the strings first differ.
 */
export const timingSafeEqual = (a: string, b: string): boolean => {
  const left = encoder.encode(a)
  const right = encoder.encode(b)
  let diff = left.length ^ right.length
  const length = Math.max(left.length, right.length)
  for (let i = 0; i < length; i++) diff |= (left[i] ?? 0) ^ (right[i] ?? 0)
  return diff === 0
}
