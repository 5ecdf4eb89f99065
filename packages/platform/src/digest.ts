/**
 * SHA-256 of a UTF-8 string as an Effect (WebCrypto's digest cannot fail on a
 * string input, so the error channel is empty): raw, hex (the at-rest form of
 * one-time secrets and rate-limit keys) or base64url (codes, refresh tokens,
 * the PKCE S256 transform).
 */
import { Effect } from "effect"
import { base64url, toHex } from "./bytes.ts"

const encoder = new TextEncoder()

export const sha256Bytes = (text: string): Effect.Effect<Uint8Array> =>
  Effect.promise(() => crypto.subtle.digest("SHA-256", encoder.encode(text))).pipe(Effect.map((digest) => new Uint8Array(digest)))

export const sha256Hex = (text: string): Effect.Effect<string> => sha256Bytes(text).pipe(Effect.map(toHex))

export const sha256Base64url = (text: string): Effect.Effect<string> => sha256Bytes(text).pipe(Effect.map(base64url))

/** SHA-256 of raw bytes (an uploaded file's content hash), hex. */
export const sha256HexOfBytes = (bytes: Uint8Array): Effect.Effect<string> =>
  Effect.promise(() => crypto.subtle.digest("SHA-256", new Uint8Array(bytes))).pipe(Effect.map((digest) => toHex(new Uint8Array(digest))))
