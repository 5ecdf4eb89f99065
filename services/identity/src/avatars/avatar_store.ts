/**
 * Avatars (contracts/src/avatars.ts): upload, removal and reading of the
 * images in R2 `AVATARS`, and the user's `picture` pointing at them.
 *
 * Order of a replacement: the new object is put (and confirmed) first, then
 * `users.picture` moves from the old URL to the new one by compare-and-set,
 * then the old object is deleted. A concurrent upload that lost the
 * compare-and-set deletes its own object, so no object is left that no
 * `picture` names; a crash between the put and the update leaves at worst an
 * unreferenced object, never a `picture` without its object.
 */
import { AvatarRejected, type AvatarsContract, NotFound, tryD1, Unavailable } from "@authrim/contracts"
import { sha256Hex, sha256HexOfBytes } from "@authrim/platform"
import { Clock, Effect } from "effect"
import { IdentityBindings, serviceName } from "../identity_bindings.ts"
import { auditAvatarChange } from "../identity_audit.ts"
import { AVATAR_NAME, avatarKey, MAX_AVATAR_BYTES, sniffAvatar } from "./avatar_image.ts"
import { avatarBucket, tryR2 } from "./avatar_bucket.ts"

type SetInput = typeof AvatarsContract.setAvatar.input.Type
type RemoveInput = typeof AvatarsContract.removeAvatar.input.Type

/** The avatar URL prefix of an issuer. */
const avatarBase = (issuer: string): string => `${issuer.replace(/\/+$/, "")}/avatars/`

/** The object name a `picture` URL names, when it is one of this issuer's avatars. */
export const ownAvatarName = (picture: string | null, issuer: string): string | undefined => {
  if (picture === null || !picture.startsWith(avatarBase(issuer))) return undefined
  const name = picture.slice(avatarBase(issuer).length)
  return AVATAR_NAME.test(name) ? name : undefined
}

const currentPicture = Effect.fnUntraced(function*(userId: string): Effect.fn.Return<string | null, NotFound | Unavailable, IdentityBindings> {
  const { db } = yield* IdentityBindings
  const row = yield* tryD1(serviceName, "users.picture", () => db.prepare("SELECT picture FROM users WHERE id = ?1").bind(userId).first<{ picture: string | null }>())
  if (row === null) return yield* new NotFound({ what: "user" })
  return row.picture
})

/** Moves `picture` from `from` to `to` only if it still is `from`; true when this call moved it. */
const swapPicture = Effect.fnUntraced(function*(userId: string, from: string | null, to: string | null) {
  const { db } = yield* IdentityBindings
  const now = yield* Clock.currentTimeMillis
  const result = yield* tryD1(serviceName, "users.swapPicture", () =>
    db.prepare("UPDATE users SET picture = ?1, updated_at = ?2 WHERE id = ?3 AND picture IS ?4").bind(to, now, userId, from).run())
  return result.meta.changes > 0
})

const deleteObject = (name: string) => Effect.flatMap(avatarBucket, (bucket) => tryR2("delete", () => bucket.delete(avatarKey(name))))

/** `setAvatar`. */
export const setAvatar = Effect.fnUntraced(function*(input: SetInput) {
  if (input.image.byteLength === 0) return yield* new AvatarRejected({ reason: "empty" })
  if (input.image.byteLength > MAX_AVATAR_BYTES) return yield* new AvatarRejected({ reason: "too_large" })
  const kind = sniffAvatar(input.image)
  if (kind === undefined) return yield* new AvatarRejected({ reason: "unsupported_type" })
  const previous = yield* currentPicture(input.userId)
  // The name hides the user id and changes with the content: an immutable, unguessable URL.
  const name = `${yield* sha256Hex(`${input.userId}:${yield* sha256HexOfBytes(input.image)}`)}.${kind.extension}`
  const picture = avatarBase(input.issuer) + name
  if (previous === picture) return { picture }
  const bucket = yield* avatarBucket
  const stored = yield* tryR2("put", () => bucket.put(avatarKey(name), input.image, {
    httpMetadata: { contentType: kind.contentType },
    customMetadata: { userId: input.userId }
  }))
  if (stored === null) return yield* new Unavailable({ service: serviceName, reason: "R2 put: the object was not stored" })
  const moved = yield* swapPicture(input.userId, previous, picture).pipe(Effect.tapError(() => deleteObject(name).pipe(Effect.ignore)))
  if (!moved) {
    // Another upload (or an edit of `picture`) got there first: ours is nobody's avatar.
    const now = yield* currentPicture(input.userId)
    if (now !== picture) yield* deleteObject(name)
    return { picture: now ?? picture }
  }
  const old = ownAvatarName(previous, input.issuer)
  if (old !== undefined && old !== name) yield* deleteObject(old)
  yield* auditAvatarChange(input.userId, input.actor, "avatar.changed", { content_type: kind.contentType, bytes: input.image.byteLength })
  return { picture }
})

/** `removeAvatar`. */
export const removeAvatar = Effect.fnUntraced(function*(input: RemoveInput) {
  const previous = yield* currentPicture(input.userId)
  const name = ownAvatarName(previous, input.issuer)
  if (name === undefined) return { removed: false }
  if (!(yield* swapPicture(input.userId, previous, null))) return { removed: false }
  yield* deleteObject(name)
  yield* auditAvatarChange(input.userId, input.actor, "avatar.removed", {})
  return { removed: true }
})

/** `getAvatar`: the object's bytes and type; any name not shaped like ours is `NotFound` without an R2 call. */
export const getAvatar = Effect.fnUntraced(function*(input: { readonly name: string }) {
  if (!AVATAR_NAME.test(input.name)) return yield* new NotFound({ what: "avatar" })
  const bucket = yield* avatarBucket
  const object = yield* tryR2("get", () => bucket.get(avatarKey(input.name)))
  if (object === null) return yield* new NotFound({ what: "avatar" })
  const image = new Uint8Array(yield* tryR2("read", () => object.arrayBuffer()))
  return { image, contentType: object.httpMetadata?.contentType ?? "application/octet-stream" }
})
