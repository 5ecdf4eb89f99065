/**
 * Seam for the avatars work (issue 12 §4): removing a deleted user's avatar
 * object from R2 `AVATARS`. `deleteUser` calls it BEFORE its D1 batch, with
 * the user's stored `picture`, so a failure leaves the user in place and a
 * retry removes both. Until avatars exist there is no object: it does nothing.
 */
import type { Unavailable } from "@authrim/contracts"
import { Effect } from "effect"
import type { IdentityBindings } from "../identity_bindings.ts"

/** Deletes the avatar object(s) of `userId` (idempotent: none is success). TO FILL by the avatars work. */
export const removeUserAvatarObjects = (
  _facts: { readonly userId: string; readonly picture: string | null }
): Effect.Effect<void, Unavailable, IdentityBindings> => Effect.void
