/**
 * `/users/{userId}/avatar` (permission `users:write`): an admin sets or removes a
 * user's avatar (issue 12 §4 "upload … in the console"). PUT takes the raw image
 * (any declared type; identity decides JPEG/PNG/GIF/WebP from the magic bytes) with
 * the account page's cap of 5 MiB — 413 beyond it, before anything is stored;
 * 415 for another kind, 400 when empty. Both go through identity's avatar RPC with
 * the admin as the actor (audited there), exactly as the account page does for the user.
 */
import { Effect, Schema } from "effect"
import { Edge } from "../edge_layer.ts"
import { MAX_AVATAR_UPLOAD_BYTES } from "../routes/account_avatar.ts"
import { domainProblem } from "./admin_domain_problems.ts"
import { adminOperation } from "./admin_operation.ts"
import { AdminProblem, invalidRequest, payloadTooLarge } from "./admin_problem.ts"

const refused = (reason: "too_large" | "unsupported_type" | "empty") =>
  reason === "too_large" ? payloadTooLarge(MAX_AVATAR_UPLOAD_BYTES)
    : reason === "empty" ? invalidRequest("the image is empty", [{ field: "body", message: "empty" }])
    : new AdminProblem({ status: 415, name: "unsupported-media-type", title: "Unsupported media type", detail: "the image must be JPEG, PNG, GIF or WebP (decided by its bytes)",
      errors: [{ field: "body", message: "not a JPEG, PNG, GIF or WebP image" }] })

export const avatarOperations = [
  adminOperation({
    method: "PUT", path: "/users/{userId}/avatar", operationId: "setUserAvatar",
    summary: "Set a user's avatar from the raw image (JPEG/PNG/GIF/WebP by magic bytes, ≤ 5 MiB); the old object is deleted", tag: "users",
    permission: "users:write", ifMatch: false, imageBody: { maxBytes: MAX_AVATAR_UPLOAD_BYTES },
    success: { status: 200, description: "The new `picture` URL", schema: Schema.Struct({ picture: Schema.String }) },
    handle: Effect.fnUntraced(function*({ params, body, admin, ctx }) {
      const { adminBackends } = yield* Edge
      return {
        status: 200,
        body: yield* adminBackends.avatars.setAvatar({ userId: params["userId"]!, image: body as Uint8Array, issuer: ctx.issuer, actor: { kind: "admin", id: admin.userId } }).pipe(
          Effect.catchTag("AvatarRejected", (rejected) => Effect.fail(refused(rejected.reason))),
          Effect.mapError(domainProblem)
        )
      }
    })
  }),
  adminOperation({
    method: "DELETE", path: "/users/{userId}/avatar", operationId: "removeUserAvatar",
    summary: "Remove a user's avatar (the object and the `picture` claim, when it is one of Authrim's)", tag: "users",
    permission: "users:write", ifMatch: false,
    success: { status: 200, description: "Whether an avatar was removed", schema: Schema.Struct({ removed: Schema.Boolean }) },
    handle: Effect.fnUntraced(function*({ params, admin, ctx }) {
      const { adminBackends } = yield* Edge
      return {
        status: 200,
        body: yield* adminBackends.avatars.removeAvatar({ userId: params["userId"]!, issuer: ctx.issuer, actor: { kind: "admin", id: admin.userId } }).pipe(Effect.mapError(domainProblem))
      }
    })
  })
]
