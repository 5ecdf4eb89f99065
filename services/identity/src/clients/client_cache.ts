/**
 * Read-through client lookup: isolate memory → KV `client:<id>` → D1
 * `oauth_clients`. Found clients stay in KV until invalidated (every change
 * deletes the key); unknown ids are cached with KV's minimum TTL (60 s) so a
 * flood of bogus ids costs KV reads, not D1 reads, yet is never permanent.
 */
import { tryD1, Unavailable } from "@authrim/contracts"
import { Effect, Option, Schema } from "effect"
import { CachedClientJson, cachedFromRow, type CachedClient, type ClientRow } from "./client_record.ts"
import { IdentityBindings, serviceName } from "../identity_bindings.ts"

/** KV key of one client's cache entry. */
export const clientKvKey = (clientId: string): string => `client:${clientId}`
/** KV's minimum expirationTtl; the longest an unknown id is remembered in KV. */
export const CLIENT_KV_NEGATIVE_TTL_SECONDS = 60

const kvFailure = (operation: string) => (cause: unknown) =>
  new Unavailable({ service: serviceName, reason: `KV CLIENTS ${operation}: ${cause instanceof Error ? cause.message : String(cause)}` })

const decodeCached = Schema.decodeUnknownOption(CachedClientJson)
const encodeCached = Schema.encodeSync(CachedClientJson)

const readD1 = Effect.fnUntraced(function*(clientId: string) {
  const { db } = yield* IdentityBindings
  const row = yield* tryD1(serviceName, "oauth_clients.byId", () =>
    db.prepare("SELECT * FROM oauth_clients WHERE client_id = ?").bind(clientId).first<ClientRow>())
  return row === null ? ({ found: false } as const) : cachedFromRow(row)
})

/** The cache entry for `clientId`, filling KV and memory on a miss. */
export const loadClient = Effect.fnUntraced(function*(clientId: string) {
  const { clientsKv, clientMemory } = yield* IdentityBindings
  const inMemory = clientMemory.get(clientId)
  if (inMemory !== undefined) return inMemory

  const key = clientKvKey(clientId)
  // KV is only a cache: when it fails, D1 still answers (and the failure is logged).
  const raw = yield* Effect.tryPromise({ try: () => clientsKv.get(key), catch: kvFailure("get") }).pipe(
    Effect.catch((error) => Effect.logWarning(error.reason).pipe(Effect.as(null)))
  )
  // An entry that no longer decodes (older shape) is treated as a miss and rewritten.
  const fromKv = raw === null ? Option.none() : decodeCached(raw)
  if (Option.isSome(fromKv)) {
    clientMemory.set(clientId, fromKv.value)
    return fromKv.value
  }

  const fresh: CachedClient = yield* readD1(clientId)
  const options = fresh.found ? {} : { expirationTtl: CLIENT_KV_NEGATIVE_TTL_SECONDS }
  yield* Effect.tryPromise({ try: () => clientsKv.put(key, encodeCached(fresh), options), catch: kvFailure("put") }).pipe(
    Effect.catch((error) => Effect.logWarning(error.reason))
  )
  clientMemory.set(clientId, fresh)
  return fresh
})

/** Drops every cached copy of `clientId` this service controls (KV and this isolate's memory). */
export const invalidateClient = Effect.fnUntraced(function*(clientId: string) {
  const { clientsKv, clientMemory } = yield* IdentityBindings
  clientMemory.delete(clientId)
  yield* Effect.tryPromise({ try: () => clientsKv.delete(clientKvKey(clientId)), catch: kvFailure("delete") })
})
