/**
 * Avatars (issue 12 §4): images in R2 `AVATARS`, owned by the identity
 * service. An avatar is stored under a name derived from the user and the
 * image's content hash (`<64 hex>.<ext>`), so its URL changes exactly when the
 * image does and the edge can serve it as immutable; the user's `picture`
 * claim is that URL. Replacing or removing an avatar deletes the old object.
 */
import { Schema } from "effect"
import { NotFound, Unavailable } from "./errors.ts"
import { rpcMethod, type RpcInterface } from "./rpc.ts"
import { contractVersion } from "./contract_version.ts"

/** Why an upload was refused: over 5 MiB, not JPEG/PNG/GIF/WebP by its bytes, or empty. */
export class AvatarRejected extends Schema.TaggedError<AvatarRejected>()("AvatarRejected", {
  reason: Schema.Literals(["too_large", "unsupported_type", "empty"])
}) {}

/** Who changed an avatar: the user on the account page, or an admin in the console. */
export const AvatarActor = Schema.Struct({ kind: Schema.Literals(["user", "admin"]), id: Schema.String })

export const AvatarsContract = {
  /**
   * Stores `image` as the user's avatar and points `picture` at
   * `<issuer>/avatars/<name>`; the previous avatar object (if it was one of ours) is deleted.
   * Concurrent uploads for one user: one wins, the others' objects are deleted, none is left behind.
   */
  setAvatar: rpcMethod(
    Schema.Struct({ userId: Schema.String, image: Schema.Uint8Array, issuer: Schema.String, actor: AvatarActor }),
    Schema.Struct({ picture: Schema.String }),
    Schema.Union([AvatarRejected, NotFound, Unavailable])
  ),
  /** Removes the user's avatar object and clears `picture` (only when it pointed at one of ours). */
  removeAvatar: rpcMethod(
    Schema.Struct({ userId: Schema.String, issuer: Schema.String, actor: AvatarActor }),
    Schema.Struct({ removed: Schema.Boolean }),
    Schema.Union([NotFound, Unavailable])
  ),
  /** The bytes of avatar `name` (`<64 hex>.<ext>`); `NotFound` for any other name or a deleted one. */
  getAvatar: rpcMethod(
    Schema.Struct({ name: Schema.String }),
    Schema.Struct({ image: Schema.Uint8Array, contentType: Schema.String }),
    Schema.Union([NotFound, Unavailable])
  )
} as const
export const AvatarsContractVersion = contractVersion(AvatarsContract, { name: "avatars", version: 1 })

/** RPC interface of the avatar methods (on `IdentityService`). */
export type AvatarsRpc = RpcInterface<typeof AvatarsContract>
