/**
 * `/initial-access-tokens` (RFC 7591 §3 initial access tokens, issue 12 §1):
 * create (the token in plaintext, in this 201 answer only — identity stores
 * its SHA-256), list (metadata only, never the token) and revoke. Reads need
 * `clients:read`, writes `clients:write` (a token lets anyone holding it
 * register a client). Identity audits each write as `admin.action` with the
 * admin as actor (contracts/src/client_registration.ts).
 */
import {
  InitialAccessTokenInfo, INITIAL_ACCESS_TOKEN_MAX_TTL_SECONDS, INITIAL_ACCESS_TOKEN_MIN_TTL_SECONDS
} from "@authrim/contracts"
import { Effect, Schema } from "effect"
import { Edge } from "../edge_layer.ts"
import { adminOperation } from "./admin_operation.ts"

const shortString = (max: number) => Schema.String.check(Schema.isMaxLength(max))

/** A new token's description, life and the policy of the clients it may register. */
const NewInitialAccessToken = Schema.Struct({
  description: Schema.optional(shortString(200)),
  /** Between 60 s and 7 days; default one day. */
  expiresInSeconds: Schema.optional(Schema.Int.check(Schema.isBetween({ minimum: INITIAL_ACCESS_TOKEN_MIN_TTL_SECONDS, maximum: INITIAL_ACCESS_TOKEN_MAX_TTL_SECONDS }))),
  singleUse: Schema.optional(Schema.Boolean),
  policy: Schema.optional(Schema.Struct({
    scope: Schema.optional(shortString(1000)),
    grantTypes: Schema.optional(Schema.Array(shortString(100)).check(Schema.isMaxLength(10))),
    tokenEndpointAuthMethods: Schema.optional(Schema.Array(shortString(100)).check(Schema.isMaxLength(10)))
  }))
})

export const registrationTokenOperations = [
  adminOperation({
    method: "POST", path: "/initial-access-tokens", operationId: "createInitialAccessToken",
    summary: "Create an initial access token for dynamic registration (the token is in this response only)", tag: "registration",
    permission: "clients:write", ifMatch: false, body: NewInitialAccessToken,
    success: { status: 201, description: "The token and its metadata", schema: Schema.Struct({ token: Schema.String, info: InitialAccessTokenInfo }) },
    handle: Effect.fnUntraced(function*({ body, admin }) {
      const { adminBackends } = yield* Edge
      return { status: 201, body: yield* adminBackends.initialAccessTokens.createInitialAccessToken({ ...body, adminUserId: admin.userId }) }
    })
  }),
  adminOperation({
    method: "GET", path: "/initial-access-tokens", operationId: "listInitialAccessTokens",
    summary: "The live initial access tokens, newest first (metadata only)", tag: "registration",
    permission: "clients:read", ifMatch: false,
    success: { status: 200, description: "The tokens' metadata", schema: Schema.Struct({ tokens: Schema.Array(InitialAccessTokenInfo) }) },
    handle: Effect.fnUntraced(function*({ admin }) {
      const { adminBackends } = yield* Edge
      return { status: 200, body: yield* adminBackends.initialAccessTokens.listInitialAccessTokens({ adminUserId: admin.userId }) }
    })
  }),
  adminOperation({
    method: "DELETE", path: "/initial-access-tokens/{tokenId}", operationId: "revokeInitialAccessToken",
    summary: "Revoke an initial access token (at once)", tag: "registration",
    permission: "clients:write", ifMatch: false,
    success: { status: 204, description: "Revoked" },
    handle: Effect.fnUntraced(function*({ params, admin }) {
      const { adminBackends } = yield* Edge
      yield* adminBackends.initialAccessTokens.revokeInitialAccessToken({ adminUserId: admin.userId, id: params["tokenId"]! })
      return { status: 204 }
    })
  })
]
