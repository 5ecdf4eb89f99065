/** Shared test fixtures: users pinned to shards, login inputs, stubs, and result unwrapping. */
import { env, runInDurableObject } from "cloudflare:test"
import type { SessionContract } from "@authrim/contracts"
import { sessionShardFor, sessionShardName } from "../src/session_shard.ts"

/** A fresh user id that lives in `shard` (each test file uses its own shards, so files never share a DO). */
export const userInShard = (shard: number, label: string): string => {
  for (let i = 0; ; i++) {
    const userId = `${label}-${crypto.randomUUID()}-${i}`
    if (sessionShardFor(userId) === shard) return userId
  }
}

/** What the edge sends after a password login. */
export const loginFor = (userId: string, overrides: Partial<typeof SessionContract.create.input.Type> = {}) => ({
  userId,
  amr: ["pwd"],
  acr: null,
  authTime: 1_700_000_000_000,
  deviceName: "Firefox on Linux",
  ipAddress: "203.0.113.9",
  userAgent: "Mozilla/5.0 (X11; Linux x86_64)",
  ...overrides
})

/** The SessionStore stub of `shard`, named as the entrypoint names it. */
export const shardStub = (shard: number) => env.SESSION_STORE.get(env.SESSION_STORE.idFromName(sessionShardName(shard)))

type Result<V, E> = { readonly _tag: "Success"; readonly value: V } | { readonly _tag: "Failure"; readonly error: E }

/** The value of a successful RPC result; fails the test otherwise. */
export const success = <V, E>(result: Result<V, E>): V => {
  if (result._tag !== "Success") throw new Error(`expected Success, got ${JSON.stringify(result)}`)
  return result.value
}

/** `"Success"` or the tag of the typed failure, for asserting outcomes. */
export const outcome = <V, E extends { readonly _tag: string }>(result: Result<V, E>): string =>
  result._tag === "Success" ? "Success" : result.error._tag

/** Sets the shard's clock (epoch ms) — the DO reads time only through `now`. */
export const setClock = (shard: number, at: number): Promise<void> =>
  runInDurableObject(shardStub(shard), (instance) => {
    instance.now = () => at
  })

/** The `sessions` row of a session id, straight from D1. */
export const d1Row = (sessionId: string) =>
  env.DB.prepare("SELECT id, user_id, expires_at, created_at, data FROM sessions WHERE id = ?1").bind(sessionId)
    .first<{ id: string; user_id: string; expires_at: number; created_at: number; data: string }>()
