/**
 * Removing a deleted user's avatar object from R2 `AVATARS` (issue 12 §4).
 * `deleteUser` calls it BEFORE its D1 batch, with the user's stored
 * `picture`, so a failure leaves the user in place and a retry removes both.
 *
 * The object is found from `picture` (`…/avatars/<name>`) and deleted only
 * when its metadata names this user — a `picture` pointing at someone else's
 * avatar, or at another site, is never followed. No bucket bound (or none
 * provided, as in tests of other parts): nothing to remove.
 */
import type { Unavailable } from "@authrim/contracts"
import { Effect, Option } from "effect"
import { AvatarBucket, tryR2 } from "../avatars/avatar_bucket.ts"
import { AVATAR_NAME, avatarKey } from "../avatars/avatar_image.ts"
import type { IdentityBindings } from "../identity_bindings.ts"

/** The avatar object name a `picture` URL's path names, if any. */
const avatarNameOf = (picture: string | null): string | undefined => {
  if (picture === null || !URL.canParse(picture)) return undefined
  const match = /^\/avatars\/([^/]+)$/.exec(new URL(picture).pathname)
  return match !== null && AVATAR_NAME.test(match[1]!) ? match[1] : undefined
}

/** Deletes the avatar object of `userId` (idempotent: none is success). */
export const removeUserAvatarObjects = Effect.fnUntraced(function*(
  facts: { readonly userId: string; readonly picture: string | null }
): Effect.fn.Return<void, Unavailable, IdentityBindings> {
  const name = avatarNameOf(facts.picture)
  const bucket = Option.getOrUndefined(yield* Effect.serviceOption(AvatarBucket))
  if (name === undefined || bucket === undefined) return
  const head = yield* tryR2("head", () => bucket.head(avatarKey(name)))
  if (head?.customMetadata?.["userId"] !== facts.userId) return
  yield* tryR2("delete", () => bucket.delete(avatarKey(name)))
})
