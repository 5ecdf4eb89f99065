/** Byte encodings used in stored formats (base64url per RFC 4648 §5, hex) and randomness. */

/** base64url without padding (RFC 4648 §5). */
export const base64url = (bytes: Uint8Array): string => {
  let binary = ""
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")
}

/** Inverse of {@link base64url}; `null` for malformed input. */
export const fromBase64url = (text: string): Uint8Array | null => {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null
  try {
    const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"))
    return Uint8Array.from(binary, (c) => c.charCodeAt(0))
  } catch {
    return null
  }
}

/** Lower-case hex of bytes. */
export const toHex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")

/** `n` cryptographically random bytes. */
export const randomBytes = (n: number): Uint8Array => crypto.getRandomValues(new Uint8Array(n))
