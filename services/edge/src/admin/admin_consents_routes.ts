/**
 * `/users/{userId}/consents` (issue 12 §1): what a user has granted each
 * client, and withdrawing it — the consent page shows again at that client's
 * next sign-in, and that client's refresh families of the user are revoked
 * with their access tokens (user_admin_operations.ts). Listing needs
 * `users:read`, revoking `users:write`; identity audits `consent.revoked`
 * with the admin as actor. Revoking a consent that does not exist (and left
 * no refresh family to revoke) is 404.
 */
import { AdminConsent } from "@authrim/contracts"
import { Effect, Schema } from "effect"
import { Edge } from "../edge_layer.ts"
import { adminOperation } from "./admin_operation.ts"
import { notFoundProblem } from "./admin_problem.ts"
import { revokeConsent } from "./user_admin_operations.ts"

export const consentOperations = [
  adminOperation({
    method: "GET", path: "/users/{userId}/consents", operationId: "listUserConsents", summary: "A user's consents, by client", tag: "consents",
    permission: "users:read", ifMatch: false,
    success: { status: 200, description: "The consents", schema: Schema.Struct({ consents: Schema.Array(AdminConsent) }) },
    handle: Effect.fnUntraced(function*({ params }) {
      const { adminBackends } = yield* Edge
      return { status: 200, body: yield* adminBackends.userAdmin.listConsents({ userId: params["userId"]! }) }
    })
  }),
  adminOperation({
    method: "DELETE", path: "/users/{userId}/consents/{clientId}", operationId: "revokeUserConsent",
    summary: "Withdraw a user's consent for a client and revoke that client's refresh tokens of the user", tag: "consents",
    permission: "users:write", ifMatch: false,
    success: { status: 200, description: "`refreshFamiliesRevoked`: how many refresh token families of that client ended", schema: Schema.Struct({ revoked: Schema.Boolean, refreshFamiliesRevoked: Schema.Number }) },
    handle: Effect.fnUntraced(function*({ params, admin }) {
      const result = yield* revokeConsent({ adminUserId: admin.userId, userId: params["userId"]!, clientId: params["clientId"]! })
      if (!result.revoked && result.refreshFamiliesRevoked === 0) return yield* notFoundProblem("consent")
      return { status: 200, body: result }
    })
  })
]
