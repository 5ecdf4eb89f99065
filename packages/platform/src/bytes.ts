/**
 * Byte encodings of stored and wire formats — base64url without padding
 * (RFC 4648 §5, as JOSE, PKCE and every cookie value use it), lower-case hex —
 * and randomness from the platform CSPRNG.
 */

/** Unpadded base64url of `bytes`. */
export const base64url = (bytes: Uint8Array): string => {
  let binary = ""
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "")
}

/** Inverse of {@link base64url}; `null` for anything that is not unpadded base64url. */
export const fromBase64url = (text: string): Uint8Array | null => {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null
  try {
    return Uint8Array.from(atob(text.replaceAll("-", "+").replaceAll("_", "/")), (c) => c.charCodeAt(0))
  } catch {
    return null
  }
}

/** Lower-case hex of `bytes`. */
export const toHex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")

/** `n` cryptographically random bytes. */
export const randomBytes = (n: number): Uint8Array => crypto.getRandomValues(new Uint8Array(n))

/** `n` random bytes as base64url (32 bytes → 43 characters). */
export const randomBase64url = (n: number): string => base64url(randomBytes(n))
