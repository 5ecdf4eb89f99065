/**
 * `/users/{userId}/sessions` (issue 12 §1): a user's live browser sessions,
 * and ending one or all of them exactly as a logout does (online refresh
 * families revoked, back-channel logout sent; user_admin_operations.ts).
 * Listing needs `users:read`, revoking `users:write`; each revocation is
 * audited by identity as `admin.action` with the admin as actor. An unknown
 * user is 404 (checked first: the session shard answers an empty list for any
 * id), as is a session that is not a live session of that user.
 */
import { Session } from "@authrim/contracts"
import { Effect, Schema } from "effect"
import { Edge } from "../edge_layer.ts"
import { adminOperation } from "./admin_operation.ts"
import { listSessions, revokeAllSessions, revokeSession } from "./user_admin_operations.ts"

/** 404 unless the user exists. */
const requireUser = Effect.fnUntraced(function*(userId: string) {
  const { adminBackends } = yield* Edge
  yield* adminBackends.userAdmin.getUserDetail({ userId })
})

export const sessionOperations = [
  adminOperation({
    method: "GET", path: "/users/{userId}/sessions", operationId: "listUserSessions", summary: "A user's live sessions", tag: "sessions",
    permission: "users:read", ifMatch: false,
    success: { status: 200, description: "The sessions", schema: Schema.Struct({ sessions: Schema.Array(Session) }) },
    handle: Effect.fnUntraced(function*({ params }) {
      yield* requireUser(params["userId"]!)
      return { status: 200, body: { sessions: yield* listSessions(params["userId"]!) } }
    })
  }),
  adminOperation({
    method: "DELETE", path: "/users/{userId}/sessions", operationId: "revokeUserSessions", summary: "End every session and refresh token of a user (idempotent)", tag: "sessions",
    permission: "users:write", ifMatch: false,
    success: { status: 200, description: "How many sessions were ended", schema: Schema.Struct({ revoked: Schema.Number }) },
    handle: Effect.fnUntraced(function*({ params, admin, ctx }) {
      yield* requireUser(params["userId"]!)
      return { status: 200, body: yield* revokeAllSessions(ctx, { adminUserId: admin.userId, userId: params["userId"]! }) }
    })
  }),
  adminOperation({
    method: "DELETE", path: "/users/{userId}/sessions/{sessionId}", operationId: "revokeUserSession", summary: "End one session of a user (as a logout)", tag: "sessions",
    permission: "users:write", ifMatch: false,
    success: { status: 204, description: "Ended" },
    handle: Effect.fnUntraced(function*({ params, admin, ctx }) {
      yield* revokeSession(ctx, { adminUserId: admin.userId, userId: params["userId"]!, sessionId: params["sessionId"]! })
      return { status: 204 }
    })
  })
]
