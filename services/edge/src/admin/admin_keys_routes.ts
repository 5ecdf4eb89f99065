/**
 * `/keys`: the signing keys' public metadata (`keys:read`) and "rotate now"
 * (`keys:write`): a new active key per algorithm; the retired ones stay in
 * the JWKS for their verification window. The keys service does the work and
 * records it (`key.rotated` per key, `admin.action` for the admin's request).
 */
import { KeyInfo } from "@authrim/contracts"
import { Effect, Schema } from "effect"
import { Edge } from "../edge_layer.ts"
import { forgetJwks } from "../discovery/edge_jwks_cache.ts"
import { adminOperation } from "./admin_operation.ts"

const KeyList = Schema.Struct({ keys: Schema.Array(KeyInfo) })

export const keyOperations = [
  adminOperation({
    method: "GET", path: "/keys", operationId: "listKeys", summary: "Signing keys still published (never private material)", tag: "keys",
    permission: "keys:read", ifMatch: false,
    success: { status: 200, description: "The keys", schema: KeyList },
    handle: Effect.fnUntraced(function*() {
      const { adminBackends } = yield* Edge
      return { status: 200, body: yield* adminBackends.keys.listKeys({}) }
    })
  }),
  adminOperation({
    method: "POST", path: "/keys/rotate", operationId: "rotateKeys", summary: "Rotate every signing key now", tag: "keys",
    permission: "keys:write", ifMatch: false,
    success: { status: 200, description: "The keys after the rotation", schema: KeyList },
    handle: Effect.fnUntraced(function*({ admin }) {
      const { adminBackends } = yield* Edge
      const keys = yield* adminBackends.keys.rotate({ force: true, actorId: admin.userId })
      // Tokens signed from now on name the new key: this isolate must not wait for its JWKS copy to age out.
      forgetJwks()
      return { status: 200, body: keys }
    })
  })
]
