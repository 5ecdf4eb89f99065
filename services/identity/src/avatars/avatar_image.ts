/**
 * What an uploaded avatar really is, from its first bytes (never from the
 * declared Content-Type or file name): JPEG, PNG, GIF or WebP, or nothing.
 * SVG is refused on purpose (it can carry script), as is anything else.
 */

/** Largest accepted avatar (DESIGN §2 R2 AVATARS): 5 MiB. */
export const MAX_AVATAR_BYTES = 5 * 1024 * 1024

export interface AvatarKind {
  readonly contentType: "image/jpeg" | "image/png" | "image/gif" | "image/webp"
  readonly extension: "jpg" | "png" | "gif" | "webp"
}

const startsWith = (bytes: Uint8Array, signature: ReadonlyArray<number>, offset = 0): boolean =>
  bytes.length >= offset + signature.length && signature.every((b, i) => bytes[offset + i] === b)

const ascii = (text: string): ReadonlyArray<number> => Array.from(text, (c) => c.charCodeAt(0))

/** The image kind by magic bytes, or undefined for anything that is not one of the four. */
export const sniffAvatar = (bytes: Uint8Array): AvatarKind | undefined => {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { contentType: "image/jpeg", extension: "jpg" }
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { contentType: "image/png", extension: "png" }
  if (startsWith(bytes, ascii("GIF87a")) || startsWith(bytes, ascii("GIF89a"))) return { contentType: "image/gif", extension: "gif" }
  if (startsWith(bytes, ascii("RIFF")) && startsWith(bytes, ascii("WEBP"), 8)) return { contentType: "image/webp", extension: "webp" }
  return undefined
}

/** Object names are `<64 hex>.<ext>`: what `getAvatar` accepts, so no other key of the bucket is reachable. */
export const AVATAR_NAME = /^[0-9a-f]{64}\.(jpg|png|gif|webp)$/

/** The R2 key of an avatar object name. */
export const avatarKey = (name: string): string => `avatars/${name}`
