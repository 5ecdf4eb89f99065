/**
 * The logout side of a SessionStore shard (`SessionLogoutContract`):
 * recording which RPs a session signed into, and ending a session so those
 * RPs can be told (back-channel logout is sent by the caller, from the
 * returned client ids).
 */
import { NotFound, Unavailable, type Session } from "@authrim/contracts"
import { Effect } from "effect"
import type { LoggedInClients } from "./logged_in_clients.ts"
import { shardOfSessionId } from "./session_id.ts"
import { authenticateCookie, revokeSession, sweepUserSessions, type ShardState } from "./shard_operations.ts"

const notFound = new NotFound({ what: "session" })

const storageFailure = (cause: unknown) =>
  new Unavailable({ service: "session", reason: `SessionStore clients: ${cause instanceof Error ? cause.message : String(cause)}` })

/**
 * Records `clientId` for the session. The caller (the edge issuing a code)
 * has just authenticated the session, so this does not re-read it; a revoked
 * session is refused so a code racing a logout cannot leave a stale record.
 */
export const recordClient = Effect.fnUntraced(function*(
  state: ShardState,
  clients: LoggedInClients,
  input: { readonly sessionId: string; readonly clientId: string; readonly expiresAt: number }
): Effect.fn.Return<{}, NotFound | Unavailable> {
  if (shardOfSessionId(input.sessionId) === undefined || state.revoked.has(input.sessionId)) return yield* notFound
  const now = state.now()
  if (input.expiresAt <= now) return yield* notFound
  yield* Effect.try({ try: () => clients.record(input.sessionId, input.clientId, input.expiresAt), catch: storageFailure })
  return {}
})

/**
 * `authenticateForClient`: the cookie's live session, which must be
 * `sessionId`, with `clientId` recorded — one shard call for the last step of
 * a sign-in. Nothing is recorded unless the cookie authenticates as that session.
 */
export const authenticateForClient = Effect.fnUntraced(function*(
  state: ShardState,
  clients: LoggedInClients,
  input: { readonly cookie: string; readonly sessionId: string; readonly clientId: string }
): Effect.fn.Return<Session, NotFound | Unavailable> {
  const session = yield* authenticateCookie(state, input.cookie)
  if (session.id !== input.sessionId) return yield* notFound
  yield* Effect.try({ try: () => clients.record(session.id, input.clientId, session.expiresAt), catch: storageFailure })
  return session
})

/**
 * Ends the session, then takes its clients. Revocation comes first: if it
 * fails (D1 unavailable), the clients stay recorded and a retry still
 * reports them; once it succeeded, the clients are handed out exactly once.
 */
export const endSession = Effect.fnUntraced(function*(
  state: ShardState,
  clients: LoggedInClients,
  sessionId: string
): Effect.fn.Return<{ revoked: boolean; clientIds: ReadonlyArray<string>; userId?: string }, NotFound | Unavailable> {
  const revoked = yield* revokeSession(state, sessionId)
  const clientIds = yield* Effect.try({ try: () => clients.take(sessionId), catch: storageFailure })
  return { ...revoked, clientIds }
})

/** A session ended for a user, with the RPs to tell. */
export interface EndedSession {
  readonly sessionId: string
  readonly clientIds: ReadonlyArray<string>
}

/**
 * Ends every session of `userId` but `keepSessionId` (the `revokeForUser`
 * sweep) and, in the sweep's synchronous step, takes the clients of every
 * session it ended. `take` deletes what it returns, so a concurrent
 * `endSession` of one of them gets the clients or we do, never both.
 * A session already tombstoned by such a call is still taken here: if that
 * call failed after its tombstone (D1 down), its RPs would otherwise never be
 * told. Reported: sessions this call ended, and any whose clients it took.
 */
export const endUserSessions = (
  state: ShardState,
  clients: LoggedInClients,
  userId: string,
  keepSessionId: string | undefined
): Effect.Effect<{ ended: ReadonlyArray<EndedSession> }, NotFound | Unavailable> =>
  sweepUserSessions(state, userId, keepSessionId, (swept) => ({
    ended: swept.flatMap(({ id, first }) => {
      const clientIds = clients.take(id)
      return first || clientIds.length > 0 ? [{ sessionId: id, clientIds }] : []
    })
  }))
